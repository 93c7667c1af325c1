"""`{% contest_spotlight %}`: the winners of the latest announced contest, for the home page."""

from typing import Any

from django import template

from kizuna.contests.selectors import get_spotlight

register = template.Library()


@register.inclusion_tag("contests/components/spotlight.html")
def contest_spotlight() -> dict[str, Any]:
    spotlight = get_spotlight()
    if spotlight is None:
        return {"contest": None, "winners": []}
    contest, winners = spotlight
    return {"contest": contest, "winners": winners}
