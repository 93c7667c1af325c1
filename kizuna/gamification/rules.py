"""Which activity earns which points for whom: one pure-ish mapping shared by the live
task, the stale-award sweep and the recompute command, so they can never disagree.

A planned award exists only while its source still stands (published content, a like
that was not withdrawn, an answer still accepted); caps and anti-gaming are applied
later by `services.award_points`.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models

from kizuna.activity.models import Activity, Verb
from kizuna.content.models import Answer, ContentStatus, Post, PostType, Reaction

EARNING_VERBS = (Verb.POSTED, Verb.ANSWERED, Verb.ACCEPTED, Verb.REACTED)


@dataclass(frozen=True)
class PlannedAward:
    member_id: int
    rule_key: str
    source: models.Model
    activity_id: int
    occurred_at: datetime
    space_id: int | None
    counterparty_id: int | None = None

    @property
    def idempotency_key(self) -> str:
        return award_key(self.activity_id, self.rule_key, self.member_id)


def award_key(activity_id: int, rule_key: str, member_id: int) -> str:
    """The idempotency key of an activity's award: the activity id plus the beneficiary."""
    return f"activity:{activity_id}:{rule_key}:{member_id}"


class Sources:
    """Looks up what activities point at, one query per lookup (the live path)."""

    def post(self, post_id: int) -> Post | None:
        return Post.objects.filter(pk=post_id).first()

    def answer(self, answer_id: int) -> Answer | None:
        return Answer.objects.select_related("post").filter(pk=answer_id).first()

    def still_liked(self, member_id: int, target: Post | Answer) -> bool:
        reactions = Reaction.objects.filter(member_id=member_id)
        if isinstance(target, Post):
            return reactions.filter(post_id=target.pk, answer__isnull=True).exists()
        return reactions.filter(answer_id=target.pk).exists()


class BatchSources(Sources):
    """The same lookups for a batch of activities loaded in three queries, so replaying
    millions of activities (recompute) does not cost a query or three per activity."""

    def __init__(self, activities: list[Activity]) -> None:
        post_ids = {a.object_id for a in activities if a.object_type == "post" and a.object_id}
        answer_ids = {a.object_id for a in activities if a.object_type == "answer" and a.object_id}
        self._posts = {post.pk: post for post in Post.objects.filter(pk__in=post_ids)}
        self._answers = {
            answer.pk: answer
            for answer in Answer.objects.select_related("post").filter(pk__in=answer_ids)
        }
        likers = {a.actor_id for a in activities if a.verb == Verb.REACTED and a.actor_id}
        reactions = Reaction.objects.filter(member_id__in=likers).filter(
            models.Q(post_id__in=post_ids, answer__isnull=True) | models.Q(answer_id__in=answer_ids)
        )
        self._likes = {
            (member_id, "answer" if answer_id else "post", answer_id or post_id)
            for member_id, post_id, answer_id in reactions.values_list(
                "member_id", "post_id", "answer_id"
            )
        }

    def post(self, post_id: int) -> Post | None:
        return self._posts.get(post_id)

    def answer(self, answer_id: int) -> Answer | None:
        return self._answers.get(answer_id)

    def still_liked(self, member_id: int, target: Post | Answer) -> bool:
        kind = "post" if isinstance(target, Post) else "answer"
        return (member_id, kind, target.pk) in self._likes


def plan_awards(activity: Activity, sources: Sources | None = None) -> list[PlannedAward]:
    """The awards this activity earns right now (empty if it earns nothing or its source fell)."""
    sources = sources or Sources()
    object_id = activity.object_id
    if activity.verb not in EARNING_VERBS or object_id is None:
        return []

    def planned(member_id: int, rule_key: str, source: models.Model, **extra: int) -> PlannedAward:
        return PlannedAward(
            member_id=member_id,
            rule_key=rule_key,
            source=source,
            activity_id=activity.pk,
            occurred_at=activity.occurred_at,
            space_id=activity.space_id,
            counterparty_id=extra.get("counterparty_id"),
        )

    if activity.verb == Verb.POSTED and activity.object_type == "post":
        post = sources.post(object_id)
        if post is None or post.status != ContentStatus.PUBLISHED:
            return []
        if post.post_type == PostType.QUESTION:
            return [planned(post.author_id, "asked_question", post)]
        if post.post_type == PostType.CASE_STUDY:
            return [planned(post.author_id, "case_study_published", post)]
        return []
    if activity.verb == Verb.ANSWERED and activity.object_type == "answer":
        answer = sources.answer(object_id)
        if answer is None or answer.status != ContentStatus.PUBLISHED:
            return []
        return [planned(answer.author_id, "answered", answer)]
    if activity.verb == Verb.ACCEPTED and activity.object_type == "answer":
        answer = sources.answer(object_id)
        if (
            answer is None
            or answer.status != ContentStatus.PUBLISHED
            or answer.post.accepted_answer_id != answer.pk
            or answer.post.status != ContentStatus.PUBLISHED
            or answer.author_id == answer.post.author_id  # nothing for accepting your own
        ):
            return []
        return [
            planned(answer.author_id, "answer_accepted", answer),
            planned(answer.post.author_id, "accepted_an_answer", answer.post),
        ]
    if activity.verb == Verb.REACTED and activity.object_type in ("post", "answer"):
        target: Post | Answer | None = (
            sources.post(object_id) if activity.object_type == "post" else sources.answer(object_id)
        )
        if target is None or target.status != ContentStatus.PUBLISHED:
            return []
        if activity.actor_id is None or activity.actor_id == target.author_id:
            return []
        if not sources.still_liked(activity.actor_id, target):
            return []
        return [
            planned(target.author_id, "like_received", target, counterparty_id=activity.actor_id)
        ]
    return []
