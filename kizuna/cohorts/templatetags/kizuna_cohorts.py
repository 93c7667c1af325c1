"""`{% cohorts_nav_link %}`: the main navigation's link to the learning programmes, shown only to
those who take part in, run or may read one (most members never join a cohort)."""

from typing import Any

from django import template

from kizuna.cohorts.selectors import programmes_for

register = template.Library()


@register.inclusion_tag("cohorts/includes/nav_link.html", takes_context=True)
def cohorts_nav_link(context: dict[str, Any]) -> dict[str, Any]:
    request = context["request"]
    return {
        "shown": programmes_for(request.user).exists(),
        "current": request.resolver_match is not None
        and request.resolver_match.namespace == "cohorts",
    }
