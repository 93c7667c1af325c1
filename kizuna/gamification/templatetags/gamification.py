"""`{% member_level member %}`: the level badge beside a member's name.

The first badge of a request loads, in one query, the levels of every member the
page already holds (authors of the objects and lists in the template context) and
remembers them on the request; later badges cost nothing. A member not found that
way costs one query; views can batch them first with `remember_member_levels`.
"""

from typing import Any

from django import template
from django.core.paginator import Page
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import get_language

from kizuna.gamification.models import Level
from kizuna.gamification.selectors import levels_for_members
from kizuna.identity.permissions import Viewer

register = template.Library()

_CACHE_ATTRIBUTE = "_kizuna_member_levels"


def _request_cache(request: HttpRequest) -> dict[int, Level | None]:
    cache: dict[int, Level | None] | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(request, _CACHE_ATTRIBUTE, cache)
    return cache


def remember_member_levels(request: HttpRequest, member_ids: set[int]) -> None:
    """Load the levels of many members in one query before a page renders their names."""
    cache = _request_cache(request)
    missing = member_ids - set(cache)
    if missing:
        cache.update(levels_for_members(missing))


def _author_ids(value: Any, depth: int = 0) -> set[int]:
    """Member ids of the authors among already-loaded context values (never runs a query)."""
    found: set[int] = set()
    if isinstance(value, Model):
        author_id = getattr(value, "author_id", None)
        if isinstance(author_id, int):
            found.add(author_id)
        return found
    if depth > 1:
        return found
    if isinstance(value, QuerySet):
        value = value._result_cache or []
    elif isinstance(value, Page):
        value = value.object_list if isinstance(value.object_list, list) else []
    if isinstance(value, list | tuple):
        for item in value:
            found |= _author_ids(item, depth + 1)
    return found


def level_name(level: Level) -> str:
    """The level's name in the active language."""
    return level.name_ja if (get_language() or "ja").startswith("ja") else level.name_en


@register.inclusion_tag("gamification/includes/level_badge.html", takes_context=True)
def member_level(context: template.Context, member: Viewer | None) -> dict[str, Any]:
    """The level badge of a member (nothing for anonymous or deleted members)."""
    member_id = getattr(member, "pk", None)
    if member_id is None:
        return {"level": None}
    request = context.get("request")
    if request is None:
        level = levels_for_members({member_id}).get(member_id)
    else:
        cache = _request_cache(request)
        if member_id not in cache:
            wanted = {member_id}
            for value in context.flatten().values():
                wanted |= _author_ids(value)
            remember_member_levels(request, wanted)
        level = cache.get(member_id)
    if level is None:
        return {"level": None}
    return {"level": level, "name": level_name(level)}


@register.filter
def level_label(level: Level | None) -> str:
    """A level's name in the active language ('' for none)."""
    return level_name(level) if level is not None else ""
