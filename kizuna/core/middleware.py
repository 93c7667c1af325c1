from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNullCharacterMiddleware:
    """Answer 400 to a page address with a NUL character in its path or query.

    PostgreSQL refuses NUL in text, so such a value would fail as a server error in the
    first lookup it reached. Posted form fields refuse it themselves (Django's CharField,
    and NoNul in kizuna.core.api_types for the JSON API).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path or any(
            "\x00" in name or any("\x00" in value for value in values)
            for name, values in request.GET.lists()
        ):
            return HttpResponseBadRequest(
                _("The address contains a NUL character, which is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
