"""Who runs contests: community managers and administrators, like rewards and badges."""

from typing import Any

from kizuna.identity.permissions import has_capability
from kizuna.identity.roles import Capability

# No contest-specific capability exists; MANAGE_SPACES is held by exactly the
# community managers and administrators.
MANAGE_CONTESTS = Capability.MANAGE_SPACES


def can_manage_contests(viewer: Any) -> bool:
    return has_capability(viewer, MANAGE_CONTESTS)
