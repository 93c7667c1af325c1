"""Building and sending notification emails: one at a time (immediate) or as a daily digest.

Each email is decided at send time, not only at fan-out: a recipient who can no longer
see the post, turned the kind off, or was deactivated gets nothing, and the notification
is marked dropped so the sweep leaves it alone.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kizuna.content.models import Answer, Comment, ContentStatus, Post
from kizuna.content.permissions import can_view_post
from kizuna.identity.models import Member
from kizuna.notifications.models import EmailChannel, Notification, NotificationKind
from kizuna.notifications.selectors import (
    describe_notification,
    get_email_preferences,
    is_recognition,
    post_path,
    recognition_note,
    recognition_path,
)
from kizuna.notifications.services import DIGEST_SCOPE, make_unsubscribe_token

EXCERPT_LENGTH = 280


def site_url(path: str) -> str:
    return str(settings.KIZUNA_SITE_URL).rstrip("/") + path


def unsubscribe_url(*, member: Member, scope: str) -> str:
    token = make_unsubscribe_token(member=member, scope=scope)
    return site_url(reverse("notifications:unsubscribe", args=[token]))


def _target_is_published(notification: Notification) -> bool:
    """Answers and comments that were held or hidden after the fan-out are not emailed."""
    target_id = notification.target_id
    if notification.kind == NotificationKind.MODERATION or target_id is None:
        return True
    if notification.target_type == "answer":
        return Answer.objects.filter(pk=target_id, status=ContentStatus.PUBLISHED).exists()
    if notification.target_type == "comment":
        return Comment.objects.filter(pk=target_id, status=ContentStatus.PUBLISHED).exists()
    return True


def _excerpt(notification: Notification, post: Post) -> str:
    """A short piece of what was written, for replies, mentions and followed content only."""
    if notification.kind in (NotificationKind.MODERATION, NotificationKind.ACCEPTED):
        return ""
    body, target_id = post.body, notification.target_id or 0
    if notification.target_type == "answer":
        body = Answer.objects.filter(pk=target_id).values_list("body", flat=True).first() or ""
    elif notification.target_type == "comment":
        body = Comment.objects.filter(pk=target_id).values_list("body", flat=True).first() or ""
    text = " ".join(body.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1] + "…"


def _may_email(
    notification: Notification, member: Member, post: Post | None, channels: dict[str, str]
) -> bool:
    return (
        member.is_active
        and channels.get(notification.kind) != EmailChannel.OFF
        and post is not None
        and can_view_post(member, post)
        and _target_is_published(notification)
    )


def _send(*, member: Member, scope: str, subject: str, body: str) -> None:
    link = unsubscribe_url(member=member, scope=scope)
    message = EmailMessage(
        subject=subject,
        body=body,
        to=[member.email],
        headers={
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.send()


def send_notification_email(*, notification_id: int) -> bool:
    """Email one immediate notification once; returns whether an email went out."""
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if (
            notification is None
            or notification.emailed_at is not None
            or notification.email_dropped_at is not None
        ):
            return False
        member = Member.objects.get(pk=notification.recipient_id)
        channels = get_email_preferences(member)
        post = (
            Post.objects.select_related("space").filter(pk=notification.post_id).first()
            if notification.post_id
            else None
        )
        if is_recognition(notification):
            may_email = member.is_active and channels.get(notification.kind) != EmailChannel.OFF
        else:
            may_email = _may_email(notification, member, post, channels)
        if not may_email:
            notification.email_dropped_at = timezone.now()
            notification.save(update_fields=["email_dropped_at"])
            return False
        with translation.override(member.language):
            if post is None:
                about = {"note": recognition_note(notification)}
                path = recognition_path(notification)
            else:
                about = {
                    "excerpt": _excerpt(notification, post),
                    "reason": notification.details.get("reason", ""),
                    "space_name": post.space.name,
                }
                path = post_path(post)
            context = {
                "member": member,
                "community": settings.KIZUNA_COMMUNITY,
                "notification": notification,
                "summary": describe_notification(notification, is_post_visible=True),
                **about,
                "post_url": site_url(path),
                "preferences_url": site_url(reverse("notifications:preferences")),
                "unsubscribe_url": unsubscribe_url(member=member, scope=notification.kind),
                "kind_label": NotificationKind(notification.kind).label,
            }
            subject = render_to_string(
                "notifications/email/notification_subject.txt", context
            ).strip()
            body = render_to_string("notifications/email/notification_message.txt", context)
        _send(member=member, scope=notification.kind, subject=subject, body=body)
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
        return True


@dataclass
class DigestItem:
    summary: str
    url: str


@dataclass
class DigestGroup:
    label: str
    items: list[DigestItem]
    unsubscribe_url: str


def pending_digest_notifications() -> QuerySet[Notification]:
    """Notifications waiting for the next daily digest."""
    return Notification.objects.filter(
        email_channel=EmailChannel.DAILY_DIGEST,
        emailed_at__isnull=True,
        email_dropped_at__isnull=True,
    )


def send_digest_email(*, member_id: int) -> int:
    """Email a member's unsent digest notifications together, grouped by kind; returns how many."""
    with transaction.atomic():
        pending = list(
            pending_digest_notifications()
            .select_for_update(skip_locked=True)
            .filter(recipient_id=member_id)
            .order_by("created_at", "id")
        )
        if not pending:
            return 0
        member = Member.objects.get(pk=member_id)
        channels = get_email_preferences(member)
        posts = Post.objects.select_related("space").in_bulk(
            {notification.post_id for notification in pending if notification.post_id}
        )
        visible: dict[int, bool] = {}
        included: list[Notification] = []
        dropped: list[Notification] = []
        for notification in pending:
            post = posts.get(notification.post_id) if notification.post_id else None
            if post is not None and post.pk not in visible:
                visible[post.pk] = can_view_post(member, post)
            may = (
                (
                    is_recognition(notification)
                    or (
                        post is not None and visible[post.pk] and _target_is_published(notification)
                    )
                )
                and member.is_active
                and channels.get(notification.kind) != EmailChannel.OFF
            )
            (included if may else dropped).append(notification)
        now = timezone.now()
        if included:
            with translation.override(member.language):
                groups = []
                for kind in NotificationKind:
                    items = [
                        DigestItem(
                            summary=describe_notification(notification, is_post_visible=True),
                            url=site_url(
                                recognition_path(notification)
                                if is_recognition(notification)
                                else post_path(posts[notification.post_id or 0])
                            ),
                        )
                        for notification in included
                        if notification.kind == kind
                    ]
                    if items:
                        groups.append(
                            DigestGroup(
                                label=str(kind.label),
                                items=items,
                                unsubscribe_url=unsubscribe_url(member=member, scope=kind.value),
                            )
                        )
                context = {
                    "member": member,
                    "community": settings.KIZUNA_COMMUNITY,
                    "groups": groups,
                    "count": len(included),
                    "notifications_url": site_url(reverse("notifications:notification-list")),
                    "preferences_url": site_url(reverse("notifications:preferences")),
                    "unsubscribe_url": unsubscribe_url(member=member, scope=DIGEST_SCOPE),
                }
                subject = render_to_string("notifications/email/digest_subject.txt", context)
                body = render_to_string("notifications/email/digest_message.txt", context)
            _send(member=member, scope=DIGEST_SCOPE, subject=subject.strip(), body=body)
            Notification.objects.filter(pk__in=[n.pk for n in included]).update(emailed_at=now)
        if dropped:
            Notification.objects.filter(pk__in=[n.pk for n in dropped]).update(email_dropped_at=now)
        return len(included)
