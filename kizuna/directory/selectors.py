"""Reads for the member directory and the recognition parts of a profile."""

from typing import Any

from django.db.models import CharField, F, IntegerField, Q, QuerySet, Value
from django.db.models.functions import Coalesce, Collate, NullIf

from kizuna.content.models import Answer, ContentStatus, Post
from kizuna.content.permissions import posts_visible_to
from kizuna.core.japanese import JAPANESE_COLLATION, to_hiragana
from kizuna.gamification.models import Level
from kizuna.gamification.selectors import lifetime_points_expression
from kizuna.identity.models import Interest, Member
from kizuna.identity.permissions import Viewer, is_signed_in, profiles_listed_to

ANSWER = "answer"


def directory_members(
    viewer: Viewer,
    *,
    name: str = "",
    company: str = "",
    interest: Interest | None = None,
    level: Level | None = None,
    levels: list[Level] | None = None,
) -> QuerySet[Member]:
    """The members listed to the viewer (`profiles_listed_to`), with `lifetime_points`, by name.

    The company filter only matches members who show their company, so a hidden company
    cannot be discovered by searching for it. `levels` (sorted by threshold) bounds the
    level filter from above by the next level's threshold.
    """
    members = (
        profiles_listed_to(viewer)
        .annotate(lifetime_points=lifetime_points_expression())
        .prefetch_related("interests")
        .order_by(Collate(_sort_name(), JAPANESE_COLLATION), "pk")
    )
    if name := name.strip():
        members = members.filter(
            Q(display_name__icontains=name) | Q(name_reading__icontains=to_hiragana(name))
        )
    if company := company.strip():
        members = members.filter(shows_company=True, company_name__icontains=company)
    if interest is not None:
        members = members.filter(interests=interest)
    if level is not None:
        members = members.filter(lifetime_points__gte=level.threshold)
        higher = [item.threshold for item in levels or [] if item.threshold > level.threshold]
        if higher:
            members = members.filter(lifetime_points__lt=min(higher))
    return members


def _sort_name() -> Coalesce:
    """A member's place in the directory: the reading when given, else the name they show."""
    return Coalesce(NullIf("name_reading", Value("")), NullIf("display_name", Value("")), "email")


def directory_interests(viewer: Viewer) -> QuerySet[Interest]:
    """Challenges held by at least one member the directory lists, for the filter."""
    return Interest.objects.filter(members__in=profiles_listed_to(viewer)).distinct()


def contributions_visible_to(viewer: Viewer, member: Member) -> QuerySet[Post, dict[str, Any]]:
    """The member's posts and answers the viewer may read, newest first, as plain rows.

    Posts go through `posts_visible_to`, so a post in a space the viewer cannot read never
    appears; answers only count where their question does, and only published ones
    (the member themselves also sees their own answers held for review).
    """
    visible_posts = posts_visible_to(viewer)
    posts = (
        visible_posts.filter(author_id=member.pk)
        .annotate(
            kind=F("post_type"),
            post_pk=F("pk"),
            answer_pk=Value(None, output_field=IntegerField()),
            post_title=F("title"),
            space_name=F("space__name"),
            at=F("created_at"),
        )
        .values("kind", "post_pk", "answer_pk", "post_title", "space_name", "at")
        # SQLite refuses ORDER BY inside a UNION's parts; the models' default orderings add one.
        .order_by()
    )
    answer_status = Q(status=ContentStatus.PUBLISHED)
    if is_signed_in(viewer) and viewer.pk == member.pk:
        answer_status |= ~Q(status=ContentStatus.DELETED)
    answers = (
        Answer.objects.filter(answer_status, author_id=member.pk, post__in=visible_posts)
        .annotate(
            kind=Value(ANSWER, output_field=CharField()),
            post_pk=F("post_id"),
            answer_pk=F("pk"),
            post_title=F("post__title"),
            space_name=F("post__space__name"),
            at=F("created_at"),
        )
        .values("kind", "post_pk", "answer_pk", "post_title", "space_name", "at")
        .order_by()
    )
    return posts.union(answers, all=True).order_by("-at", "-post_pk")
