from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class RejectNullCharacterMiddleware:
    """Answer 400 to a page address with a NUL character in its path.

    No address of ours has one, and PostgreSQL refuses NUL in text, so a path parameter
    holding one (an invitation token, a tag's key) would fail as a server error in the first
    lookup it reached. Query values and form fields are each validated where they are read
    (Django's CharField refuses NUL; NoNul in kizuna.core.api_types for the JSON API, which
    answers a NUL in its paths with its own 422).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path and not request.path.startswith("/api/"):
            return HttpResponseBadRequest(
                _("The address contains a NUL character, which is not allowed."),
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
