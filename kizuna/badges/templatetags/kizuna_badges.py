"""`{% member_badges member %}`: a member's badges for their profile, in one query."""

from typing import Any

from django import template

from kizuna.badges.selectors import list_badges_of
from kizuna.identity.models import Member

register = template.Library()


@register.inclusion_tag("badges/components/member_badges_list.html")
def member_badges(member: Member) -> dict[str, Any]:
    return {"member": member, "awards": list_badges_of(member)}
