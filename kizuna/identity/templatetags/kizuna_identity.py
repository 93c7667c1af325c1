"""Template helpers for member and staff pages."""

from typing import Any

from django import template

from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.permissions import can_view_profile as _can_view_profile
from kizuna.identity.roles import Capability

register = template.Library()


@register.simple_tag
def staff_can(viewer: Viewer, capability: str) -> bool:
    """`{% staff_can user "manage_api_keys" as can_manage %}`: the same check the views make."""
    return has_capability(viewer, Capability(capability))


@register.filter
def can_view_profile(viewer: Viewer, member: Member) -> bool:
    """`{% if user|can_view_profile:author %}`: link a name to a profile only where it opens."""
    return _can_view_profile(viewer, member)


@register.filter
def initial(name: Any) -> str:
    """The first character of a name, for an avatar without a photo."""
    text = str(name).strip()
    return text[:1].upper() if text else "?"
