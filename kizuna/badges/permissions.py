"""Who may award and revoke badges: staff holding MANAGE_SPACES (administrators, community managers)."""

from django.core.exceptions import PermissionDenied

from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.roles import Capability

MANAGE_BADGES = Capability.MANAGE_SPACES


def can_manage_badges(viewer: Viewer) -> bool:
    return has_capability(viewer, MANAGE_BADGES)


def check_manage_badges(viewer: Viewer) -> None:
    if not can_manage_badges(viewer):
        raise PermissionDenied(MANAGE_BADGES.value)
