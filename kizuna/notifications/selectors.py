"""Reads of the notifications app, shared by the pages, the bell and the emails."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kizuna.content.models import Post
from kizuna.content.permissions import posts_visible_to
from kizuna.notifications.models import (
    DEFAULT_EMAIL_CHANNEL,
    ModerationOutcome,
    Notification,
    NotificationKind,
    NotificationPreference,
)


def count_unread_notifications(member: Any) -> int:
    """The bell's number: one COUNT on the partial unread index."""
    return Notification.objects.filter(recipient_id=member.pk, read_at__isnull=True).count()


def list_notifications_for(member: Any) -> QuerySet[Notification]:
    """The member's notifications, newest first, each marked with whether its post is still visible."""
    visible = posts_visible_to(member).filter(pk=OuterRef("post_id"))
    return (
        Notification.objects.filter(recipient_id=member.pk)
        .select_related("actor", "post")
        .annotate(is_post_visible=Exists(visible))
        .order_by("-created_at", "-id")
    )


def get_email_preferences(member: Any) -> dict[str, str]:
    """The member's email channel per kind, defaults filled in."""
    chosen = dict(
        NotificationPreference.objects.filter(member_id=member.pk).values_list("kind", "email")
    )
    return {kind: chosen.get(kind, DEFAULT_EMAIL_CHANNEL[kind]) for kind in NotificationKind.values}


def post_path(post: Post) -> str:
    """The address of a post's page; the space page until the content pages provide one."""
    get_absolute_url = getattr(post, "get_absolute_url", None)
    if callable(get_absolute_url):
        return str(get_absolute_url())
    for args in ([post.space.slug, post.pk], [post.pk]):
        try:
            return reverse("content:post-detail", args=args)
        except NoReverseMatch:
            continue
    return reverse("spaces:space-detail", args=[post.space.slug])


def describe_notification(notification: Notification, *, is_post_visible: bool) -> str:
    """One sentence in the active language; names the post only when the reader may see it."""
    actor = str(notification.actor) if notification.actor else _("Someone")
    post = notification.post
    title = post.title if (post is not None and is_post_visible) else _("a post you cannot see")
    kind, target = notification.kind, notification.target_type
    if kind == NotificationKind.REPLY and target == "comment":
        return _("%(actor)s commented in “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.REPLY:
        return _("%(actor)s answered “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.MENTION:
        return _("%(actor)s mentioned you in “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.ACCEPTED:
        return _("%(actor)s accepted your answer to “%(title)s”") % {
            "actor": actor,
            "title": title,
        }
    if kind == NotificationKind.FOLLOWED and target == "post":
        return _("%(actor)s posted “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.FOLLOWED:
        return _("%(actor)s answered “%(title)s”, which you follow") % {
            "actor": actor,
            "title": title,
        }
    outcome = notification.details.get("outcome", "")
    label = str(ModerationOutcome(outcome).label) if outcome in ModerationOutcome.values else ""
    if target == "answer":
        return _("Your answer in “%(title)s” was %(outcome)s") % {"title": title, "outcome": label}
    return _("Your post “%(title)s” was %(outcome)s") % {"title": title, "outcome": label}
