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


def _post(object_id: int) -> Post | None:
    return Post.objects.filter(pk=object_id).first()


def _answer(object_id: int) -> Answer | None:
    return Answer.objects.select_related("post").filter(pk=object_id).first()


def plan_awards(activity: Activity) -> list[PlannedAward]:
    """The awards this activity earns right now (empty if it earns nothing or its source fell)."""
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
        post = _post(object_id)
        if post is None or post.status != ContentStatus.PUBLISHED:
            return []
        if post.post_type == PostType.QUESTION:
            return [planned(post.author_id, "asked_question", post)]
        if post.post_type == PostType.CASE_STUDY:
            return [planned(post.author_id, "case_study_published", post)]
        return []
    if activity.verb == Verb.ANSWERED and activity.object_type == "answer":
        answer = _answer(object_id)
        if answer is None or answer.status != ContentStatus.PUBLISHED:
            return []
        return [planned(answer.author_id, "answered", answer)]
    if activity.verb == Verb.ACCEPTED and activity.object_type == "answer":
        answer = _answer(object_id)
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
            _post(object_id) if activity.object_type == "post" else _answer(object_id)
        )
        if target is None or target.status != ContentStatus.PUBLISHED:
            return []
        if activity.actor_id is None or activity.actor_id == target.author_id:
            return []
        reactions = Reaction.objects.filter(member_id=activity.actor_id)
        still_liked = (
            reactions.filter(post_id=target.pk, answer__isnull=True)
            if isinstance(target, Post)
            else reactions.filter(answer_id=target.pk)
        ).exists()
        if not still_liked:
            return []
        return [
            planned(target.author_id, "like_received", target, counterparty_id=activity.actor_id)
        ]
    return []
