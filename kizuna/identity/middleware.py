import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation


class MemberPreferencesMiddleware:
    """Show a signed-in member the site in their own language and time zone.

    The language switcher sets the language cookie and, for members, their saved
    language, so the cookie wins only for anonymous visitors.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        member = getattr(request, "user", None)
        if member is not None and member.is_authenticated:
            if member.language in dict(settings.LANGUAGES):
                translation.activate(member.language)
                request.LANGUAGE_CODE = member.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(member.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        return response
