"""Who sees the ambassador roster and who changes it."""

from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.roles import Capability

VIEW_ROSTER = Capability.VIEW_CUSTOMER_DATA
MANAGE_ROSTER = Capability.MANAGE_ACCOUNTS


def can_view_roster(viewer: Viewer) -> bool:
    return has_capability(viewer, VIEW_ROSTER)


def can_manage_roster(viewer: Viewer) -> bool:
    return has_capability(viewer, MANAGE_ROSTER)


def can_see_tiers(viewer: Viewer) -> bool:
    """An account's touch tier is customer economics."""
    return has_capability(viewer, Capability.VIEW_ACCOUNT_ECONOMICS)
