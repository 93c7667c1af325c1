from typing import TypeAlias, TypeGuard

from allauth.mfa.models import Authenticator
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from kizuna.identity.models import Member
from kizuna.identity.roles import Capability

# Whoever a policy is asked about: a request's user, an API key's actor, or a task's member.
# Policies accept an inactive member too and treat them as signed out.
Viewer: TypeAlias = Member | AnonymousUser


def is_signed_in(viewer: Viewer | None) -> TypeGuard[Member]:
    """An active, authenticated member (and, to the type checker, a Member from here on)."""
    return bool(
        viewer is not None and getattr(viewer, "is_authenticated", False) and viewer.is_active
    )


def has_capability(viewer: Viewer, capability: Capability) -> bool:
    return is_signed_in(viewer) and bool(viewer.has_capability(capability))


def check_capability(viewer: Viewer, capability: Capability) -> None:
    if not has_capability(viewer, capability):
        raise PermissionDenied(capability.value)


def has_mfa(member: Viewer) -> bool:
    has_totp: bool = Authenticator.objects.filter(
        user_id=member.pk, type=Authenticator.Type.TOTP
    ).exists()
    return has_totp


def can_open_staff_pages(viewer: Viewer) -> bool:
    """Staff pages need a staff role and TOTP set up: customer data sits behind them."""
    return is_signed_in(viewer) and bool(viewer.is_staff_member) and has_mfa(viewer)


# Profiles: who may open a member's profile, and who appears where members are listed. ------


def _sees_unlisted_profiles(viewer: Viewer) -> bool:
    # Staff already see every member on the staff pages; their profiles add nothing to that.
    return has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)


def can_view_profile(viewer: Viewer, member: Member) -> bool:
    """Signed-in members see active members' profiles; an unlisted one only staff and themselves.

    A member who chose not to be listed still appears by name beside what they posted, to
    those who may read it, but their profile (and with it their contributions) stays closed.
    """
    if not is_signed_in(viewer) or not member.is_active:
        return False
    return bool(
        member.listed_in_directory or viewer.pk == member.pk or _sees_unlisted_profiles(viewer)
    )


def profiles_visible_to(viewer: Viewer) -> QuerySet[Member]:
    """The members whose profile `can_view_profile` lets the viewer open, as a queryset."""
    if not is_signed_in(viewer):
        return Member.objects.none()
    members = Member.objects.filter(is_active=True)
    if _sees_unlisted_profiles(viewer):
        return members
    return members.filter(Q(listed_in_directory=True) | Q(pk=viewer.pk))


def profiles_listed_to(viewer: Viewer) -> QuerySet[Member]:
    """Members the viewer may come across in lists: the directory, holders, mention suggestions.

    Only members who list themselves, for every viewer: a list or a suggestion shows a name
    to others (a mention publishes it), which the member's choice not to be listed rules out.
    """
    return profiles_visible_to(viewer).filter(listed_in_directory=True)
