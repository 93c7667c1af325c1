"""Recognition and contributions on a member's profile, for the identity profile template.

Identity cannot import gamification or content, so its profile page includes these tags
(`{% load kizuna_directory %}`) and this app does the reading.
"""

from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from kizuna.content.models import PostType
from kizuna.directory.selectors import ANSWER, contributions_visible_to
from kizuna.gamification.selectors import (
    get_lifetime_points,
    ledger_for_member,
    list_levels,
    progress_for_points,
)
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, has_capability, is_signed_in
from kizuna.identity.roles import Capability

register = template.Library()

RECENT_LEDGER_ENTRIES = 5
RECENT_CONTRIBUTIONS = 5


def _viewer(context: template.Context) -> Viewer:
    request = context.get("request")
    user: Viewer = getattr(request, "user", None) or AnonymousUser()
    return user


def _is_self(viewer: Viewer, member: Member) -> bool:
    return is_signed_in(viewer) and viewer.pk == member.pk


@register.inclusion_tag("directory/components/member_recognition.html", takes_context=True)
def member_recognition(context: template.Context, member: Member) -> dict[str, Any]:
    """Level and points for everyone; progress for the member; recent ledger for them and staff."""
    viewer = _viewer(context)
    is_self = _is_self(viewer, member)
    sees_ledger = is_self or has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)
    return {
        "member": member,
        "is_self": is_self,
        "progress": progress_for_points(get_lifetime_points(member), list_levels()),
        "ledger": list(ledger_for_member(member)[:RECENT_LEDGER_ENTRIES]) if sees_ledger else None,
    }


@register.inclusion_tag("directory/components/member_contributions.html", takes_context=True)
def member_contributions(context: template.Context, member: Member) -> dict[str, Any]:
    """The member's latest posts and answers that the viewer may read."""
    contributions = contributions_visible_to(_viewer(context), member)
    return {
        "member": member,
        "contributions": list(contributions[: RECENT_CONTRIBUTIONS + 1]),
        "limit": RECENT_CONTRIBUTIONS,
    }


@register.filter
def contribution_kind(kind: str) -> str:
    """What a contribution row is, in the active language: a post type or an answer."""
    if kind == ANSWER:
        return str(_("Answer"))
    return str(dict(PostType.choices).get(kind, kind))
