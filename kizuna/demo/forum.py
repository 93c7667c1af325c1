"""The demo community's forum, written through the content services from a plan.

`kizuna.demo.threads` plans a year of threads (the hand-written story threads of
`kizuna.demo.stories` among them); this module replays the plan through the same services a
member's clicks call (`create_post`, `create_answer`, `create_comment`, `accept_answer`,
`react`, `follow`), so permissions, the no-promotion rule, counters and the activity stream
behave as on a live site.

It is history written after the fact, so it is replayed as an import is
(`kizuna.activity.dispatch.replaying_history`): the services stamp every row with the time
of the load, and the plan says when each thing happened, so once everything is written the
rows and their activities are moved back to that time in a few bulk updates. Only then do
the consumers do their work, in bulk: the threads are indexed here, the notices of the last
weeks are made here (nobody is told of year-old posts), and the points are paid by the
recognition step's sweep over the stream (`kizuna.demo.recognition`).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import F, OuterRef, Subquery
from django.test import override_settings
from django.utils import timezone, translation

from kizuna.activity.dispatch import replaying_history
from kizuna.activity.models import Activity, Verb
from kizuna.content.engagement import FollowTarget, follow, react
from kizuna.content.models import Answer, Comment, ContentStatus, Follow, Post, Reaction, Tag
from kizuna.content.qa import accept_answer
from kizuna.content.services import create_answer, create_comment, create_post
from kizuna.demo import data
from kizuna.demo.stories import THREADS
from kizuna.demo.threads import ForumPlan, PlannedThread, Volume, plan_forum
from kizuna.identity.models import Member
from kizuna.moderation.models import Hold, ReviewItem
from kizuna.moderation.rate_limits import DEFAULT_RATE_LIMITS
from kizuna.notifications.models import (
    EmailChannel,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from kizuna.notifications.services import fan_out_activity
from kizuna.search.indexing import index_post
from kizuna.spaces.models import Space

# Members hear of the activity of the last weeks; older notices would long have been read.
NOTICES_FOR = timedelta(days=30)
# Notices older than this were read (within hours) by the time the demo starts; the newer
# ones wait in the bell.
NOTICES_READ_AFTER = timedelta(days=5)
READ_WITHIN = timedelta(hours=6)


@dataclass(frozen=True)
class ForumSummary:
    posts: int
    answers: int
    comments: int
    reactions: int
    activities: int
    seconds: float


def is_forum_loaded() -> bool:
    """The welcome announcement marks a database that already holds the demo forum."""
    return Post.objects.filter(title=THREADS[0].title).exists()


@contextmanager
def _replaying_a_year() -> Iterator[None]:
    """A year of posts is written in a minute, as history: no consumer is told (see the module
    docstring), rate limits, meant for one person's burst, are lifted, and the texts the rules
    write (hold reasons) are in Japanese, the community's language."""
    with (
        replaying_history(),
        override_settings(KIZUNA_RATE_LIMITS=dict.fromkeys(DEFAULT_RATE_LIMITS)),
        translation.override("ja"),
    ):
        yield


def mute_demo_mail() -> None:
    """Demo addresses must never receive mail, yet every answer below notifies someone.

    The notices stay in the bell; their emails are turned off for the demo's own members
    (they all share the one demo password hash), whichever worker would send them. Anyone
    who signed up on the site before the demo was loaded keeps their own choice.
    """
    demo_hash = Member.objects.get(email=data.STAFF[0].email).password
    demo_members = Member.objects.filter(password=demo_hash).order_by("pk")
    NotificationPreference.objects.bulk_create(
        [
            NotificationPreference(member_id=member_id, kind=kind, email=EmailChannel.OFF)
            for member_id in demo_members.values_list("pk", flat=True)
            for kind in NotificationKind.values
        ],
        update_conflicts=True,
        unique_fields=["member", "kind"],
        update_fields=["email"],
    )


class _Writer:
    def __init__(self, plan: ForumPlan) -> None:
        self.plan = plan
        self.spaces = {space.slug: space for space in Space.objects.all()}
        self.post_at: dict[int, datetime] = {}
        self.answer_at: dict[int, datetime] = {}
        self.comment_at: dict[int, datetime] = {}
        self.accepted_at: dict[int, datetime] = {}
        # (member, post, answer) of each like.
        self.reaction_at: dict[tuple[int, int | None, int | None], datetime] = {}
        self.follow_at: dict[int, datetime] = {}
        self.views: dict[int, int] = {}
        self.first_activity = (
            Activity.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        ) + 1

    def write(self) -> None:
        for planned in self.plan.threads:
            self._thread(planned)
        tags = {tag.name: tag for tag in Tag.objects.all()}
        for planned_follow in self.plan.follows:
            target = (
                FollowTarget(space=self.spaces[planned_follow.space])
                if planned_follow.space
                else FollowTarget(tag=tags[planned_follow.tag])
                if planned_follow.tag in tags
                else None
            )
            if target is not None and follow(member=planned_follow.member, target=target):
                self._followed(planned_follow.member, target, planned_follow.at)

    def _thread(self, planned: PlannedThread) -> None:
        post = create_post(
            author=planned.author,
            space=self.spaces[planned.space],
            post_type=planned.post_type,
            title=planned.title,
            body=planned.body,
            tags=planned.tags,
            public_use_consent=planned.public_use_consent,
        )
        self.post_at[post.pk] = planned.at
        # A post the rules hold waits for a moderator: nobody has seen it, answered or liked it.
        if post.status != ContentStatus.PUBLISHED:
            return
        self.views[post.pk] = planned.views
        answers: list[Answer] = []
        for reply in planned.answers:
            answer = create_answer(author=reply.author, post=post, body=reply.body)
            self.answer_at[answer.pk] = reply.at
            answers.append(answer)
        for planned_comment in planned.comments:
            on = answers[planned_comment.answer] if planned_comment.answer is not None else None
            comment = create_comment(
                author=planned_comment.author, post=post, body=planned_comment.body, answer=on
            )
            self.comment_at[comment.pk] = planned_comment.at
        if planned.accepted is not None and planned.accepted_at is not None:
            accept_answer(actor=planned.author, post=post, answer=answers[planned.accepted])
            self.accepted_at[post.pk] = planned.accepted_at
        for reaction in planned.reactions:
            liked = answers[reaction.answer] if reaction.answer is not None else None
            if react(member=reaction.member, post=post, answer=liked):
                key = (reaction.member.pk, post.pk, liked.pk if liked else None)
                self.reaction_at[key] = reaction.at
        for member, at in planned.followers:
            target = FollowTarget(post=post)
            if follow(member=member, target=target):
                self._followed(member, target, at)

    def _followed(self, member: Member, target: FollowTarget, at: datetime) -> None:
        row = Follow.objects.filter(member=member, **target.filter()).values_list("pk", flat=True)
        self.follow_at[row[0]] = at

    # Dates ----------------------------------------------------------------------------------

    def date_everything(self) -> int:
        """Move every row the services stamped with the load's time to when it happened."""
        answers = list(Answer.objects.filter(pk__in=self.answer_at))
        for answer in answers:
            answer.created_at = self.answer_at[answer.pk]
        Answer.objects.bulk_update(answers, ["created_at"], batch_size=500)
        comments = list(Comment.objects.filter(pk__in=self.comment_at))
        for comment in comments:
            comment.created_at = self.comment_at[comment.pk]
        Comment.objects.bulk_update(comments, ["created_at"], batch_size=500)
        reactions = list(Reaction.objects.filter(post_id__in=self.post_at))
        for reaction in reactions:
            reaction.created_at = self.reaction_at[
                (reaction.member_id, reaction.post_id, reaction.answer_id)
            ]
        Reaction.objects.bulk_update(reactions, ["created_at"], batch_size=500)
        follows = list(Follow.objects.filter(pk__in=self.follow_at))
        for row in follows:
            row.created_at = self.follow_at[row.pk]
        Follow.objects.bulk_update(follows, ["created_at"], batch_size=500)
        self._date_posts(answers, comments)
        return self._date_activities()

    def _date_posts(self, answers: list[Answer], comments: list[Comment]) -> None:
        published: dict[int, list[datetime]] = {}
        for answer in answers:
            if answer.status == ContentStatus.PUBLISHED:
                published.setdefault(answer.post_id, []).append(answer.created_at)
        latest: dict[int, datetime] = {}
        for post_id, at in [
            *((a.post_id, a.created_at) for a in answers),
            *((c.post_id, c.created_at) for c in comments),
        ]:
            latest[post_id] = max(latest.get(post_id, at), at)
        posts = list(Post.objects.filter(pk__in=self.post_at))
        for post in posts:
            post.created_at = self.post_at[post.pk]
            post.last_activity_at = max(post.created_at, latest.get(post.pk, post.created_at))
            times = published.get(post.pk)
            post.first_answer_at = min(times) if times else None
            post.solved_at = self.accepted_at.get(post.pk) if post.accepted_answer_id else None
            post.view_count = self.views.get(post.pk, 0)
        Post.objects.bulk_update(
            posts,
            ["created_at", "last_activity_at", "first_answer_at", "solved_at", "view_count"],
            batch_size=500,
        )
        for pk, at in self.post_at.items():
            if pk not in self.views:
                Hold.objects.filter(post_id=pk).update(created_at=at)
                ReviewItem.objects.filter(post_id=pk).update(created_at=at)

    def _date_activities(self) -> int:
        by_object: dict[tuple[str, str, int], datetime] = {}
        for pk, at in self.post_at.items():
            by_object[(Verb.POSTED, "post", pk)] = at
        for pk, at in self.answer_at.items():
            by_object[(Verb.ANSWERED, "answer", pk)] = at
        for pk, at in self.comment_at.items():
            by_object[(Verb.COMMENTED, "comment", pk)] = at
        for post in Post.objects.filter(pk__in=self.accepted_at, accepted_answer__isnull=False):
            key = (Verb.ACCEPTED, "answer", post.accepted_answer_id or 0)
            by_object[key] = self.accepted_at[post.pk]
        activities = list(Activity.objects.filter(pk__gte=self.first_activity))
        for activity in activities:
            if activity.verb == Verb.REACTED:
                post_id = int(activity.details["post_id"])
                answer_id = activity.object_id if activity.object_type == "answer" else None
                activity.occurred_at = self.reaction_at[
                    (activity.actor_id or 0, post_id, answer_id)
                ]
            else:
                activity.occurred_at = by_object[
                    (activity.verb, activity.object_type, activity.object_id or 0)
                ]
        Activity.objects.bulk_update(activities, ["occurred_at"], batch_size=500)
        return len(activities)


def load_demo_forum(
    *, seed: int = 2026, volume: Volume = Volume.SMALL, now: datetime | None = None
) -> ForumSummary | None:
    """Write the demo forum, dated up to `now`; None if it is there already. Call inside a
    transaction."""
    if is_forum_loaded():
        return None
    started = time.monotonic()
    mute_demo_mail()
    writer = _Writer(plan_forum(seed=seed, volume=volume, now=now or timezone.now()))
    with _replaying_a_year():
        writer.write()
    activities = writer.date_everything()
    # The index copies each post's dates, so posts are indexed once they are dated.
    for post_id in sorted(writer.post_at):
        index_post(post_id)
    notify_recent(since=writer.first_activity)
    return ForumSummary(
        posts=len(writer.post_at),
        answers=len(writer.answer_at),
        comments=len(writer.comment_at),
        reactions=len(writer.reaction_at),
        activities=activities,
        seconds=time.monotonic() - started,
    )


def notify_recent(*, since: int) -> int:
    """The notices of the last weeks of the forum's activity (from activity id `since`), dated
    when their activity happened; those older than a few days were read. Returns how many."""
    # Likes tell nobody; every other forum activity may.
    recent = (
        Activity.objects.filter(pk__gte=since, occurred_at__gte=timezone.now() - NOTICES_FOR)
        .exclude(verb=Verb.REACTED)
        .order_by("occurred_at", "pk")
    )
    for activity_id in recent.values_list("pk", flat=True):
        fan_out_activity(activity_id=activity_id)
    made = list(
        Notification.objects.filter(activity_id__in=recent.values("pk")).values_list(
            "pk", flat=True
        )
    )
    occurred = Activity.objects.filter(pk=OuterRef("activity_id")).values("occurred_at")[:1]
    Notification.objects.filter(pk__in=made).update(created_at=Subquery(occurred))
    Notification.objects.filter(
        pk__in=made, created_at__lt=timezone.now() - NOTICES_READ_AFTER
    ).update(read_at=F("created_at") + READ_WITHIN)
    return len(made)
