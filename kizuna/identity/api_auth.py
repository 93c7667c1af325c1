"""How API requests authenticate: a scoped API key, or the browser session with CSRF.

A key acts as the staff member who created it, so every endpoint then asks the same
policy functions and services as the pages do. An endpoint declares the scope it needs
with `api_auth(scope)`; a key without that scope gets 403, a browser session is limited
only by what its member may do.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import HttpBearer
from ninja.security.apikey import APIKeyCookie
from ninja.utils import check_csrf

from kizuna.core.api_errors import ApiError
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import has_mfa
from kizuna.identity.services import authenticate_api_key


class ApiKeyAuth(HttpBearer):
    """`Authorization: Bearer kz_…`; the key must carry `scope`."""

    openapi_bearerFormat = "kz_ API key"

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def authenticate(self, request: HttpRequest, token: str) -> Member | None:
        api_key = authenticate_api_key(token.strip())
        if api_key is None:
            return None
        if self.scope not in api_key.scopes:
            raise ApiError(
                403,
                "missing_scope",
                _("This API key lacks the “%(scope)s” scope.") % {"scope": self.scope},
            )
        request.api_key = api_key  # type: ignore[attr-defined]
        return api_key.created_by


class SessionAuth(APIKeyCookie):
    """The signed-in browser member; unsafe methods need the CSRF token as pages do."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        key = request.COOKIES.get(self.param_name)
        if not key:
            return None
        needs_csrf = self.csrf and not getattr(request, "_ninja_csrf_exempt", False)
        if needs_csrf and check_csrf(request) is not None:
            raise ApiError(
                403,
                "csrf_failed",
                _("Send the CSRF token in the X-CSRFToken header with this request."),
            )
        return key

    def authenticate(self, request: HttpRequest, key: str | None) -> Member | None:
        member: Any = request.user
        if not (member.is_authenticated and member.is_active):
            return None
        if member.is_staff_member and not has_mfa(member):
            # Staff data sits behind TOTP on the pages; the API holds the same line.
            raise ApiError(
                403,
                "mfa_required",
                _("Set up two-factor authentication before you use the API as staff."),
            )
        return member  # type: ignore[no-any-return]


_session_auth = SessionAuth(csrf=True)
_key_auths = {scope: ApiKeyAuth(scope) for scope in ApiKey.Scope.values}


def api_auth(scope: str) -> list[Any]:
    """The auth list for an endpoint that needs `scope` (an `ApiKey.Scope` value)."""
    return [_key_auths[scope], _session_auth]


def get_actor(request: HttpRequest) -> Member:
    """The member a request acts as: the key's creator, or the signed-in member."""
    actor = request.auth  # type: ignore[attr-defined]
    assert isinstance(actor, Member)
    return actor
