"""The helpers every spaces page shares: who is asking, the listed space, and how a refusal
is answered (sign in first, the space's denied page, or a plain 403).
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from kizuna.identity.models import Member
from kizuna.identity.permissions import can_open_staff_pages, is_signed_in
from kizuna.spaces import selectors
from kizuna.spaces.denied_page import space_denied_page
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess, can_create_spaces

# ---------------------------------------------------------------- helpers


def current_member(request: HttpRequest) -> Member:
    """The signed-in member; call only after checking `is_signed_in`."""
    return cast(Member, request.user)


def space_or_404(request: HttpRequest, slug: str) -> Space:
    """A listed space by its address, for the views whose service alone decides (leaving,
    withdrawing an application, creating a sub-group); the others call `access_space`."""
    space = selectors.listed_space(request.user, slug)
    if space is None:
        raise Http404
    return space


def sign_in(request: HttpRequest, next_url: str | None = None) -> HttpResponse:
    return redirect_to_login(next_url or request.get_full_path())


def deny(request: HttpRequest, access: SpaceAccess) -> HttpResponse:
    """Answer a refused action: sign in first, the space's denied page, or a plain 403."""
    if access.denial is not None:
        return space_denied_page(request, access)
    if not is_signed_in(request.user):
        return sign_in(request)
    raise PermissionDenied


def staff_mfa_redirect(request: HttpRequest) -> HttpResponse:
    messages.warning(
        request, _("Staff pages need two-step sign-in. Set up an authenticator app first.")
    )
    return redirect("mfa_activate_totp")


def staff_gate(request: HttpRequest) -> HttpResponse | None:
    """Space creation is for staff who may manage spaces and have set up TOTP."""
    if not is_signed_in(request.user):
        return sign_in(request)
    if not can_create_spaces(request.user):
        raise PermissionDenied
    if not can_open_staff_pages(request.user):
        return staff_mfa_redirect(request)
    return None


def detail_redirect(space: Space) -> HttpResponse:
    return redirect("spaces:space-detail", slug=space.slug)


def actions_context(request: HttpRequest, access: SpaceAccess) -> dict[str, Any]:
    space = access.space
    return {
        "space": space,
        "access": access,
        "can_create_subgroup": can_create_spaces(request.user) and space.parent_id is None,
        "sign_in_url": f"{reverse('account_login')}?next={reverse('spaces:space-detail', args=[space.slug])}",
    }
