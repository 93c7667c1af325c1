"""The one gate in front of every staff page, used by identity and customers views alike."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from kizuna.identity.models import Member
from kizuna.identity.permissions import can_open_staff_pages, has_capability, is_signed_in
from kizuna.identity.roles import Capability


def signed_in_member(request: HttpRequest) -> Member:
    """The member behind a request that a login check has already let through."""
    user = request.user
    if not isinstance(user, Member):
        raise PermissionDenied
    return user


class StaffPageMixin(View):
    """Anonymous → sign in; not staff → 403; staff without TOTP → TOTP set-up; then the capability.

    `required_capability` guards the whole view; views check finer capabilities per action.
    """

    required_capability: Capability | None = None

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        user = request.user
        if not is_signed_in(user):
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_staff_member", False):
            raise PermissionDenied
        if not can_open_staff_pages(user):
            messages.warning(
                request, _("You need to set up two-factor authentication to open the staff pages.")
            )
            return redirect("mfa_activate_totp")
        if self.required_capability is not None and not has_capability(
            user, self.required_capability
        ):
            raise PermissionDenied(self.required_capability.value)
        return super().dispatch(request, *args, **kwargs)

    @property
    def member(self) -> Member:
        return signed_in_member(self.request)

    def require(self, capability: Capability) -> None:
        """Refuse the request unless the signed-in staff member holds `capability`."""
        if not has_capability(self.request.user, capability):
            raise PermissionDenied(capability.value)
