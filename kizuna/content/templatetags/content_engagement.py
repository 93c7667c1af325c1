"""Template tags behind the engagement includes of the thread page.

The thread page includes `content/engagement/post_actions.html` once and
`answer_actions.html` once per answer; these tags give them the viewer's own state
with a fixed number of queries per thread (cached on the request), not per answer.
What the viewer may do comes from the view's decision (`post_access` in the context)
when the page has one, so rendering does not decide again.
"""

from typing import Any, cast

from django import template
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from kizuna.content.engagement import PostEngagement, get_post_engagement, reacted_answer_ids
from kizuna.content.models import Answer, ContentStatus, Post
from kizuna.content.permissions import (
    PostAccess,
    can_promote_to_knowledge,
    decided_post_access,
)
from kizuna.identity.permissions import Viewer

register = template.Library()

_CACHE_ATTRIBUTE = "_kizuna_engagement_cache"


def _cache(context: template.Context) -> dict[tuple[str, int], Any]:
    request: HttpRequest | None = context.get("request")
    if request is None:
        return {}
    cache: dict[tuple[str, int], Any] | None = getattr(request, _CACHE_ATTRIBUTE, None)
    if cache is None:
        cache = {}
        setattr(request, _CACHE_ATTRIBUTE, cache)
    return cache


def _viewer(context: template.Context) -> Viewer:
    request: HttpRequest | None = context.get("request")
    return request.user if request is not None else cast(Viewer, context.get("user"))


def _decided(context: template.Context, post: Post) -> PostAccess:
    return decided_post_access(_viewer(context), post, context.get("post_access"))


@register.simple_tag(takes_context=True)
def post_engagement(context: template.Context, post: Post) -> PostEngagement:
    """The viewer's reaction, bookmark and follows on this thread."""
    cache = _cache(context)
    key = ("post", post.pk)
    if key not in cache:
        cache[key] = get_post_engagement(_viewer(context), post, _decided(context, post))
    engagement: PostEngagement = cache[key]
    return engagement


@register.simple_tag(takes_context=True)
def answer_engagement(context: template.Context, answer: Answer, post: Post) -> dict[str, bool]:
    """Whether the viewer liked this answer, may like it, and may accept answers here."""
    viewer = _viewer(context)
    cache = _cache(context)
    if ("reacted", post.pk) not in cache:
        cache[("reacted", post.pk)] = reacted_answer_ids(viewer, post)
        cache[("accept", post.pk)] = _decided(context, post).can_accept
    signed_in = bool(getattr(viewer, "is_authenticated", False))
    return {
        "has_reacted": answer.pk in cache[("reacted", post.pk)],
        "can_react": signed_in
        and answer.author_id != viewer.pk
        and answer.status == ContentStatus.PUBLISHED,
        "can_accept": bool(cache[("accept", post.pk)]) and answer.status == ContentStatus.PUBLISHED,
        "is_accepted": post.accepted_answer_id == answer.pk,
    }


@register.simple_tag(takes_context=True)
def can_promote(context: template.Context, post: Post) -> bool:
    return can_promote_to_knowledge(_viewer(context), post, context.get("post_access"))


@register.filter
def thread_url(post: Post) -> str:
    """The address of a post's thread page."""
    try:
        return reverse("content:post-detail", args=[post.pk])
    except NoReverseMatch:
        return reverse("spaces:space-detail", args=[post.space.slug]) + f"#post-{post.pk}"
