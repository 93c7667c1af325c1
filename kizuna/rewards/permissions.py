"""Who runs the rewards catalog: community managers and administrators."""

from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.roles import Capability

# No rewards-specific capability exists yet; MANAGE_SPACES is held by exactly the
# community managers and administrators.
MANAGE_REWARDS = Capability.MANAGE_SPACES


def can_manage_rewards(viewer: Viewer) -> bool:
    return has_capability(viewer, MANAGE_REWARDS)
