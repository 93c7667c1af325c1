from typing import Any

from django.core.exceptions import PermissionDenied

from kizuna.identity.roles import Capability


def is_signed_in(viewer: Any) -> bool:
    return bool(
        viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active
    )


def has_capability(viewer: Any, capability: Capability) -> bool:
    return is_signed_in(viewer) and bool(viewer.has_capability(capability))


def check_capability(viewer: Any, capability: Capability) -> None:
    if not has_capability(viewer, capability):
        raise PermissionDenied(capability.value)


def has_mfa(member: Any) -> bool:
    from allauth.mfa.models import Authenticator

    has_totp: bool = Authenticator.objects.filter(
        user=member, type=Authenticator.Type.TOTP
    ).exists()
    return has_totp


def can_open_staff_pages(viewer: Any) -> bool:
    """Staff pages need a staff role and TOTP set up: customer data sits behind them."""
    return is_signed_in(viewer) and bool(viewer.is_staff_member) and has_mfa(viewer)
