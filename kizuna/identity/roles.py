"""Staff roles and what each may do. Every staff check goes through `has_capability`."""

from enum import StrEnum

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StaffRole(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COMMUNITY_MANAGER = "community_manager", _("Community manager")
    MODERATOR = "moderator", pgettext_lazy("staff role", "Moderator")
    CSM = "csm", _("Customer success manager")
    SALES = "sales", _("Sales")
    MARKETING = "marketing", _("Marketing")
    PRODUCT_MANAGER = "product_manager", _("Product manager")
    EXECUTIVE = "executive", _("Executive")


class Capability(StrEnum):
    VIEW_ALL_SPACES = "view_all_spaces"
    MANAGE_SPACES = "manage_spaces"
    MANAGE_MEMBERSHIPS = "manage_memberships"
    MODERATE = "moderate"
    VIEW_CUSTOMER_DATA = "view_customer_data"
    MANAGE_ACCOUNTS = "manage_accounts"
    LINK_ACCOUNTS = "link_accounts"
    READ_AUDIT_LOG = "read_audit_log"
    MANAGE_STAFF_ROLES = "manage_staff_roles"
    MANAGE_API_KEYS = "manage_api_keys"
    # ARR, MRR, LTV, tiers, plays, custom fields and health: not every staff role's business.
    VIEW_ACCOUNT_ECONOMICS = "view_account_economics"
    CONFIGURE_CUSTOMER_SUCCESS = "configure_customer_success"
    WORK_PLAYS = "work_plays"
    MANAGE_SEGMENTS = "manage_segments"


# Capabilities an administrator may grant to one staff member beyond their role (audited).
GRANTABLE_CAPABILITIES = frozenset({Capability.VIEW_ACCOUNT_ECONOMICS})


_ALL = frozenset(StaffRole)
_R = StaffRole
CAPABILITIES: dict[Capability, frozenset[StaffRole]] = {
    Capability.VIEW_ALL_SPACES: _ALL,
    Capability.VIEW_CUSTOMER_DATA: _ALL,
    Capability.MANAGE_SPACES: frozenset({_R.ADMINISTRATOR, _R.COMMUNITY_MANAGER}),
    Capability.MANAGE_MEMBERSHIPS: frozenset({_R.ADMINISTRATOR, _R.COMMUNITY_MANAGER}),
    Capability.MODERATE: frozenset({_R.ADMINISTRATOR, _R.COMMUNITY_MANAGER, _R.MODERATOR}),
    Capability.MANAGE_ACCOUNTS: frozenset({_R.ADMINISTRATOR, _R.CSM}),
    Capability.LINK_ACCOUNTS: frozenset({_R.ADMINISTRATOR, _R.COMMUNITY_MANAGER, _R.CSM}),
    Capability.READ_AUDIT_LOG: frozenset({_R.ADMINISTRATOR, _R.COMMUNITY_MANAGER, _R.MODERATOR}),
    Capability.MANAGE_STAFF_ROLES: frozenset({_R.ADMINISTRATOR}),
    Capability.MANAGE_API_KEYS: frozenset({_R.ADMINISTRATOR}),
    Capability.VIEW_ACCOUNT_ECONOMICS: frozenset(
        {_R.ADMINISTRATOR, _R.CSM, _R.SALES, _R.EXECUTIVE}
    ),
    Capability.CONFIGURE_CUSTOMER_SUCCESS: frozenset({_R.ADMINISTRATOR, _R.CSM}),
    Capability.WORK_PLAYS: frozenset({_R.ADMINISTRATOR, _R.CSM}),
    Capability.MANAGE_SEGMENTS: frozenset(
        {_R.ADMINISTRATOR, _R.COMMUNITY_MANAGER, _R.CSM, _R.MARKETING}
    ),
}


def role_has_capability(role: str, capability: Capability) -> bool:
    return role in CAPABILITIES[capability]
