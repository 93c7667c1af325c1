"""Who sees whose points, and who runs the point rules.

A member's balance and ledger are theirs and, for customer success and CRM syncs, visible
to staff who may see customer data; every member's balance at once only to those staff.
Point rules are run by community managers and administrators, like contests and rewards.
Leaderboards show points earned in spaces whose content the viewer may read
(kizuna.spaces.permissions.spaces_with_visible_content).
"""

from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.roles import Capability

# No points-specific capability exists; MANAGE_SPACES is held by exactly the
# community managers and administrators.
MANAGE_POINT_RULES = Capability.MANAGE_SPACES


def can_see_recognition_of(viewer: Viewer, member_id: int) -> bool:
    """A member's balance and ledger: theirs, and staff who may see customer data."""
    return viewer.pk == member_id or has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)


def can_list_balances(viewer: Viewer) -> bool:
    """Every member's balance (a CRM's sync): staff who may see customer data."""
    return has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)
