"""How a refused-for-rate action is answered: HTTP 429 with a clear message, as a page, an
HTMX fragment or JSON. Other apps' views call `rate_limited_response` when
`kizuna.moderation.rate_limits.check_rate_limit` raises, or install `RateLimitMiddleware`."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from kizuna.moderation.rate_limits import RateLimitExceededError


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def rate_limited_response(request: HttpRequest, error: RateLimitExceededError) -> HttpResponse:
    """A 429 answer carrying the error's message and a Retry-After header."""
    response: HttpResponse
    if _wants_json(request):
        response = JsonResponse(
            {
                "error": "rate_limited",
                "message": error.message,
                "action": error.action,
                "retry_after": error.retry_after,
            },
            status=429,
        )
    else:
        template = (
            "moderation/rate_limited/partial.html"
            if getattr(request, "htmx", False)
            else "moderation/rate_limited/index.html"
        )
        response = render(request, template, {"error": error}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


class RateLimitMiddleware:
    """Turns a RateLimitExceededError escaping any view into the 429 answer."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RateLimitExceededError):
            return rate_limited_response(request, exception)
        return None
