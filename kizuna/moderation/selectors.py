"""Reads of moderation state shared by pages, the API and other apps."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from kizuna.content.models import Answer, ContentStatus, Post
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in
from kizuna.moderation.models import Hold, MemberWarning, ReviewItem, SpaceModerationSettings
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import moderated_spaces_q

# Trust levels: 0 new, 1 basic, 2 trusted (staff are 2).
NEW_MEMBER_DAYS = 7
BASIC_CONTRIBUTIONS = 3
TRUSTED_SCORE = 20
ACCEPTED_ANSWER_WEIGHT = 3
# What a moderator decided about content; a dismissal (the author's edit published it) is not one.
DECISIONS = (ReviewItem.Action.APPROVE, ReviewItem.Action.HIDE, ReviewItem.Action.DELETE)


def get_moderation_settings(space: Space) -> SpaceModerationSettings:
    """The space's settings, or unsaved defaults when nobody has changed them yet."""
    found = SpaceModerationSettings.objects.filter(space=space).first()
    return found or SpaceModerationSettings(space=space)


@dataclass(frozen=True)
class Participation:
    published_contributions: int
    accepted_answers: int
    reactions_received: int

    @property
    def score(self) -> int:
        return (
            self.published_contributions
            + ACCEPTED_ANSWER_WEIGHT * self.accepted_answers
            + self.reactions_received
        )


def get_participation(member: Member) -> Participation:
    """What a member has contributed that the community accepted: published posts and answers,
    accepted answers and reactions received."""
    posts = Post.objects.filter(author_id=member.pk, status=ContentStatus.PUBLISHED).aggregate(
        count=Count("id"), reactions=Sum("reaction_count")
    )
    answers = Answer.objects.filter(author_id=member.pk, status=ContentStatus.PUBLISHED).aggregate(
        count=Count("id"),
        reactions=Sum("reaction_count"),
        accepted=Count("id", filter=Q(accepted_for__isnull=False)),
    )
    return Participation(
        published_contributions=posts["count"] + answers["count"],
        accepted_answers=answers["accepted"],
        reactions_received=(posts["reactions"] or 0) + (answers["reactions"] or 0),
    )


def trust_level(member: Viewer) -> int:
    """0 for new members (under a week, or fewer than 3 published contributions), 1 once they
    have taken part, 2 when the community has accepted enough of what they wrote; staff are 2."""
    if not is_signed_in(member):
        return 0
    if member.is_staff_member:
        return 2
    participation = get_participation(member)
    is_new = member.date_joined > timezone.now() - timedelta(days=NEW_MEMBER_DAYS)
    if is_new or participation.published_contributions < BASIC_CONTRIBUTIONS:
        return 0
    return 2 if participation.score >= TRUSTED_SCORE else 1


def held_reasons(content: Post | Answer) -> list[str]:
    """Why a held post or answer waits for review, for the author's banner; empty otherwise."""
    if content.status != ContentStatus.HELD:
        return []
    field = "post" if isinstance(content, Post) else "answer"
    hold = Hold.objects.filter(**{field: content}).first()
    return [str(reason) for reason in hold.reasons] if hold is not None else []


def review_items_for(
    viewer: Viewer,
    *,
    status: str = "pending",
    source: str = "",
    space_id: int | None = None,
    kind: str = "",
) -> QuerySet[ReviewItem]:
    """The review queue this viewer may work: only items of spaces they moderate, filtered."""
    items = ReviewItem.objects.filter(moderated_spaces_q(viewer))
    if status == "pending":
        items = items.exclude(status=ReviewItem.Status.RESOLVED)
    elif status:
        items = items.filter(status=status)
    if source:
        items = items.filter(source=source)
    if space_id:
        items = items.filter(space_id=space_id)
    if kind in ("post", "answer", "comment"):
        items = items.filter(**{f"{kind}__isnull": False})
    return items.select_related(
        "space",
        "post__author",
        "answer__author",
        "answer__post",
        "comment__author",
        "comment__post",
        "resolved_by",
    )


def spaces_moderated_by(viewer: Viewer) -> QuerySet[Space]:
    """Spaces whose queue this viewer sees, for the queue's space filter."""
    return Space.objects.filter(moderated_spaces_q(viewer, prefix="")).filter(
        archived_at__isnull=True
    )


def unread_warnings_for(member: Member) -> QuerySet[MemberWarning]:
    """Warnings a member has not yet read, newest first, for the in-app message."""
    return MemberWarning.objects.filter(member_id=member.pk, read_at__isnull=True)


def moderation_decision(content: Post | Answer) -> dict[str, Any] | None:
    """The last moderator decision on a post or answer (action, reason, when), for the author's
    banner on hidden content; None when no moderator has decided."""
    field = "post" if isinstance(content, Post) else "answer"
    item = (
        ReviewItem.objects.filter(
            **{field: content},
            status=ReviewItem.Status.RESOLVED,
            action__in=DECISIONS,
        )
        .order_by("-resolved_at", "-id")
        .first()
    )
    if item is None or item.resolved_at is None:
        return None
    return {
        "action": item.action,
        "reason": item.resolution_reason,
        "by": item.resolved_by_id,
        "at": item.resolved_at.isoformat(),
    }
