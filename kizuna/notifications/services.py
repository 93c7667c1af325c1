"""Every write of the notifications app: fan-out, moderation notices, reading, preferences.

The rule that governs all of them: nobody is notified of anything they cannot see
(`kizuna.content.permissions.can_view_post`), checked when the notification is made
and again when its email is sent.
"""

from collections.abc import Iterable

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.content.models import Answer, Comment, ContentStatus, Follow, Post
from kizuna.content.permissions import can_view_post
from kizuna.identity.models import Member
from kizuna.notifications.models import (
    DEFAULT_EMAIL_CHANNEL,
    EmailChannel,
    ModerationOutcome,
    Notification,
    NotificationKind,
    NotificationPreference,
)

# When one activity concerns a member in several ways, they get the most specific notice only.
KIND_PRIORITY = (
    NotificationKind.ACCEPTED,
    NotificationKind.REPLY,
    NotificationKind.MENTION,
    NotificationKind.FOLLOWED,
)
UNSUBSCRIBE_SALT = "kizuna.notifications.unsubscribe"
# Unsubscribing from the daily digest switches every kind currently sent as a digest off.
DIGEST_SCOPE = "digest"


class InvalidUnsubscribeLinkError(Exception):
    """The unsubscribe link was altered or does not belong to an active member."""


# ---------------------------------------------------------------- preferences


def email_channels_for(*, member_ids: Iterable[int], kind: str) -> dict[int, str]:
    """The email channel each member chose for a kind, defaults filled in."""
    ids = list(member_ids)
    chosen = dict(
        NotificationPreference.objects.filter(member_id__in=ids, kind=kind).values_list(
            "member_id", "email"
        )
    )
    return {member_id: chosen.get(member_id, DEFAULT_EMAIL_CHANNEL[kind]) for member_id in ids}


def set_email_preferences(*, member: Member, channels: dict[str, str]) -> None:
    """Save the member's email channel per kind (a repeated save changes nothing)."""
    with transaction.atomic():
        for kind, channel in channels.items():
            NotificationKind(kind)
            EmailChannel(channel)
            NotificationPreference.objects.update_or_create(
                member=member, kind=kind, defaults={"email": channel}
            )


def make_unsubscribe_token(*, member: Member, scope: str) -> str:
    """A signed token for one member and one kind (or the digest) that unsubscribes in one click."""
    return signing.dumps({"m": member.pk, "k": scope}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[Member, str]:
    """The member and scope a token stands for; raises InvalidUnsubscribeLinkError when tampered."""
    try:
        payload = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        member_id, scope = int(payload["m"]), str(payload["k"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidUnsubscribeLinkError from error
    if scope != DIGEST_SCOPE and scope not in NotificationKind.values:
        raise InvalidUnsubscribeLinkError
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        raise InvalidUnsubscribeLinkError
    return member, scope


def unsubscribe(*, member: Member, scope: str) -> list[str]:
    """Turn email off for one kind, or for every kind sent as a digest; returns the kinds turned off."""
    if scope == DIGEST_SCOPE:
        kinds = [
            kind
            for kind in NotificationKind.values
            if email_channels_for(member_ids=[member.pk], kind=kind)[member.pk]
            == EmailChannel.DAILY_DIGEST
        ]
    else:
        kinds = [NotificationKind(scope).value]
    set_email_preferences(member=member, channels=dict.fromkeys(kinds, EmailChannel.OFF.value))
    return kinds


# ---------------------------------------------------------------- reading


def mark_notification_read(*, member: Member, notification_id: int) -> Notification | None:
    """Mark one of the member's notifications read; someone else's is None, as if it did not exist."""
    notification = Notification.objects.filter(pk=notification_id, recipient=member).first()
    if notification is not None and notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def mark_all_notifications_read(*, member: Member) -> int:
    """Mark every unread notification of the member read; returns how many changed."""
    return Notification.objects.filter(recipient=member, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# ---------------------------------------------------------------- fan-out


def _followers(post: Post, *, include_post_followers: bool) -> set[int]:
    follows: QuerySet[Follow] = Follow.objects.filter(space_id=post.space_id)
    follows = follows | Follow.objects.filter(tag__in=post.tags.all())
    if include_post_followers:
        follows = follows | Follow.objects.filter(post=post)
    return set(follows.values_list("member_id", flat=True))


def _mentioned(activity: Activity) -> set[int]:
    raw = activity.details.get("mentioned_member_ids") or [] if activity.details else []
    mentioned: set[int] = set()
    for value in raw if isinstance(raw, list) else []:
        try:
            mentioned.add(int(value))
        except (TypeError, ValueError):
            continue
    return mentioned


def _load_target(activity: Activity) -> tuple[Post | None, Answer | None, Comment | None]:
    """The post and, when there is one, the answer or comment the activity is about."""
    if activity.object_id is None:
        return None, None, None
    if activity.object_type == "post":
        post = Post.objects.select_related("space").filter(pk=activity.object_id).first()
        return post, None, None
    if activity.object_type == "answer":
        answer = Answer.objects.select_related("post__space").filter(pk=activity.object_id).first()
        return (answer.post if answer else None), answer, None
    if activity.object_type == "comment":
        comment = (
            Comment.objects.select_related("post__space", "answer")
            .filter(pk=activity.object_id)
            .first()
        )
        return (comment.post if comment else None), (comment.answer if comment else None), comment
    return None, None, None


def _candidates(activity: Activity) -> tuple[Post | None, str, int | None, dict[str, set[int]]]:
    """Who an activity concerns, per kind, before visibility and self are filtered out."""
    post, answer, comment = _load_target(activity)
    by_kind: dict[str, set[int]] = {kind: set() for kind in KIND_PRIORITY}
    if post is None:
        return None, "", None, by_kind
    verb = activity.verb
    if verb == Verb.ACCEPTED:
        accepted = answer if answer is not None else post.accepted_answer
        if accepted is None:
            return post, "", None, by_kind
        by_kind[NotificationKind.ACCEPTED].add(accepted.author_id)
        return post, "answer", accepted.pk, by_kind
    if verb == Verb.POSTED and answer is None and comment is None:
        by_kind[NotificationKind.FOLLOWED] = _followers(post, include_post_followers=False)
        target_type, target_id, status = "post", post.pk, post.status
    elif verb == Verb.ANSWERED and answer is not None and comment is None:
        by_kind[NotificationKind.REPLY].add(post.author_id)
        by_kind[NotificationKind.FOLLOWED] = _followers(post, include_post_followers=True)
        target_type, target_id, status = "answer", answer.pk, answer.status
    elif verb == Verb.COMMENTED and comment is not None:
        replied_to = answer.author_id if answer is not None else post.author_id
        by_kind[NotificationKind.REPLY].add(replied_to)
        target_type, target_id, status = "comment", comment.pk, comment.status
    else:
        return post, "", None, by_kind
    # Held or hidden answers and comments are seen by their author and moderators only; a
    # notice about them would reveal them, so they notify nobody until published.
    if status != ContentStatus.PUBLISHED:
        return post, "", None, {kind: set() for kind in KIND_PRIORITY}
    by_kind[NotificationKind.MENTION] = _mentioned(activity)
    return post, target_type, target_id, by_kind


def fan_out_activity(*, activity_id: int) -> list[int]:
    """Create the notifications one activity causes (idempotent); returns the ids to email now.

    The caller owns the transaction; queue the returned ids with `transaction.on_commit`.
    """
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        return []
    post, target_type, target_id, by_kind = _candidates(activity)
    if post is None or not target_type:
        return []
    seen: set[int] = set()
    if activity.actor_id is not None:
        seen.add(activity.actor_id)
    recipients_by_kind: dict[str, list[Member]] = {}
    for priority_kind in KIND_PRIORITY:
        ids = by_kind[priority_kind] - seen
        seen |= ids
        candidates = Member.objects.filter(pk__in=ids, is_active=True).order_by("pk")
        recipients_by_kind[priority_kind] = [
            member for member in candidates if can_view_post(member, post)
        ]
    notifications: list[Notification] = []
    for kind, members in recipients_by_kind.items():
        channels = email_channels_for(member_ids=[member.pk for member in members], kind=kind)
        notifications += [
            Notification(
                recipient=member,
                kind=kind,
                actor_id=activity.actor_id,
                post=post,
                target_type=target_type,
                target_id=target_id,
                activity_id=activity.pk,
                email_channel=channels[member.pk],
            )
            for member in members
        ]
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    return list(
        pending_immediate_emails().filter(activity_id=activity.pk).values_list("pk", flat=True)
    )


def pending_immediate_emails() -> QuerySet[Notification]:
    """Notifications whose immediate email is neither sent nor dropped yet."""
    return Notification.objects.filter(
        email_channel=EmailChannel.IMMEDIATE, emailed_at__isnull=True, email_dropped_at__isnull=True
    )


def queue_notification_emails(notification_ids: Iterable[int]) -> None:
    """Send the emails after the surrounding transaction commits."""
    # The tasks module imports these services to run them; queueing is the one way back.
    from kizuna.notifications.tasks import send_notification_email  # noqa: PLC0415

    for notification_id in notification_ids:
        transaction.on_commit(
            lambda pk=notification_id: send_notification_email.delay(pk)  # type: ignore[misc]
        )


def notify_moderation_outcome(
    *,
    member: Member,
    post: Post | None = None,
    answer: Answer | None = None,
    outcome: str,
    reason: str,
    actor: Member | None = None,
) -> Notification | None:
    """Tell an author what moderation decided about their post or answer, with the reason.

    Call it inside the moderation action's transaction, after the status change: the email
    is queued on commit. Returns None when the member may not see the post (e.g. it was
    moved to a space they cannot read) — the notice would reveal nothing useful.
    """
    ModerationOutcome(outcome)
    if answer is not None:
        post = answer.post
    if post is None:
        raise ValueError("notify_moderation_outcome needs a post or an answer")
    if not member.is_active or not can_view_post(member, post):
        return None
    channel = email_channels_for(member_ids=[member.pk], kind=NotificationKind.MODERATION)
    notification = Notification.objects.create(
        recipient=member,
        kind=NotificationKind.MODERATION,
        actor=actor,
        post=post,
        target_type="answer" if answer is not None else "post",
        target_id=answer.pk if answer is not None else post.pk,
        details={"outcome": outcome, "reason": reason[:1000]},
        email_channel=channel[member.pk],
    )
    if notification.email_channel == EmailChannel.IMMEDIATE:
        queue_notification_emails([notification.pk])
    return notification
