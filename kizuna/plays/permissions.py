"""Who sees plays, who works them and who configures the rules.

Plays are customer economics (they name tiers and renewals): a staff member sees them with
WORK_PLAYS or VIEW_ACCOUNT_ECONOMICS, works them (done, snooze, dismiss) with WORK_PLAYS, and
edits and runs the rules with CONFIGURE_CUSTOMER_SUCCESS and VIEW_ACCOUNT_ECONOMICS. Members
never see them.
"""

from django.core.exceptions import PermissionDenied

from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.roles import Capability


def can_view_plays(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.WORK_PLAYS) or has_capability(
        viewer, Capability.VIEW_ACCOUNT_ECONOMICS
    )


def can_work_plays(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.WORK_PLAYS)


def can_configure_rules(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.CONFIGURE_CUSTOMER_SUCCESS) and has_capability(
        viewer, Capability.VIEW_ACCOUNT_ECONOMICS
    )


def can_see_tiers(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.VIEW_ACCOUNT_ECONOMICS)


def check_can_view_plays(viewer: Viewer) -> None:
    if not can_view_plays(viewer):
        raise PermissionDenied("plays")


def check_can_work_plays(viewer: Viewer) -> None:
    if not can_work_plays(viewer):
        raise PermissionDenied(Capability.WORK_PLAYS.value)


def check_can_configure_rules(viewer: Viewer) -> None:
    if not can_configure_rules(viewer):
        raise PermissionDenied(Capability.CONFIGURE_CUSTOMER_SUCCESS.value)
