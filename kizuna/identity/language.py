from contextlib import suppress

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from kizuna.identity.models import Member
from kizuna.identity.services import set_member_language


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also saves the choice of a signed-in member.

    Without saving it, MemberPreferencesMiddleware would put the member's saved
    language back on the next request and the switcher would seem to do nothing.
    An unknown language is ignored here as set_language ignores it: it just redirects back.
    """
    if isinstance(request.user, Member):
        with suppress(ValidationError):
            set_member_language(member=request.user, language=request.POST.get("language", ""))
    return set_language(request)
