"""Who sees an account's economics.

ARR, MRR, LTV, the expected lifetime, touch tiers (with the strategic flag and a tier set by
hand) and custom fields are customer economics: staff see them only with
VIEW_ACCOUNT_ECONOMICS (their role's or granted one by one), members never. Every page, API
operation, export and history row asks `can_view_economics` and `is_economic_field`.
"""

from kizuna.customers.economics import CUSTOM_FIELD_PREFIX, ECONOMIC_FIELDS
from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.roles import Capability

# The tier's inputs tell as much as the tier itself.
TIER_FIELDS = frozenset({"is_strategic", "tier_override", "tier_override_reason"})
HIDDEN_WITHOUT_ECONOMICS = ECONOMIC_FIELDS | TIER_FIELDS
# What PermissionDenied carries when a write names an economic field its actor may not see.
ECONOMICS_DENIED = "economics_hidden"


def can_view_economics(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.VIEW_ACCOUNT_ECONOMICS)


def is_economic_field(name: str) -> bool:
    """Whether an account field (or a ``custom:<key>``) is economics."""
    return name in HIDDEN_WITHOUT_ECONOMICS or name.startswith(CUSTOM_FIELD_PREFIX)
