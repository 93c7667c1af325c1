"""Reads of the notifications app, shared by the pages, the bell and the emails."""

from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from kizuna.content.models import Post, PostType
from kizuna.content.permissions import posts_visible_to
from kizuna.identity.models import Member
from kizuna.notifications.models import (
    DEFAULT_EMAIL_CHANNEL,
    ModerationOutcome,
    Notification,
    NotificationKind,
    NotificationPreference,
)


def count_unread_notifications(member: Member) -> int:
    """The bell's number: one COUNT on the partial unread index."""
    return Notification.objects.filter(recipient_id=member.pk, read_at__isnull=True).count()


def list_notifications_for(member: Member) -> QuerySet[Notification]:
    """The member's notifications, newest first, each marked with whether its post is still visible."""
    visible = posts_visible_to(member).filter(pk=OuterRef("post_id"))
    return (
        Notification.objects.filter(recipient_id=member.pk)
        .select_related("actor", "post")
        .annotate(is_post_visible=Exists(visible))
        .order_by("-created_at", "-id")
    )


def get_email_preferences(member: Member) -> dict[str, str]:
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


RECOGNITION_KINDS = (
    NotificationKind.LEVEL_UP,
    NotificationKind.BADGE_EARNED,
    NotificationKind.REDEMPTION,
)


def is_recognition(notification: Notification) -> bool:
    """About the member's own level, badge or redemption, not about a post."""
    return notification.kind in RECOGNITION_KINDS


def is_redacted(notification: Notification, *, is_post_visible: bool) -> bool:
    """About a post the reader can no longer see: shown without the post, who acted or when.

    The actor and the exact time would tell the reader who is active in a place they cannot
    see, and when; only the kind of event and its day remain.
    """
    return not is_post_visible and not is_recognition(notification)


def recognition_path(notification: Notification) -> str:
    """Where a recognition notice leads: the member's progress, the badge, their redemptions."""
    if notification.kind == NotificationKind.LEVEL_UP:
        return reverse("gamification:my-recognition")
    if notification.kind == NotificationKind.BADGE_EARNED:
        return reverse("badges:badge-detail", args=[notification.details.get("badge_slug", "")])
    return reverse("rewards:mine")


def recognition_note(notification: Notification) -> str:
    """The words staff wrote with a recognition notice (award reason, rejection reason, note)."""
    details = notification.details
    if details.get("reason"):
        return _("Reason: %(reason)s") % {"reason": details["reason"]}
    if details.get("note"):
        return _("Note from the team: %(note)s") % {"note": details["note"]}
    return ""


def _in_language(details: dict[str, Any], field: str) -> str:
    """A name saved in both languages, in the active one (Japanese unless the page is English)."""
    japanese, english = str(details.get(f"{field}_ja", "")), str(details.get(f"{field}_en", ""))
    if (get_language() or "ja").startswith("en"):
        return english or japanese
    return japanese or english


def _describe_recognition(notification: Notification) -> str:
    details = notification.details
    if notification.kind == NotificationKind.LEVEL_UP:
        return _("You reached the %(level)s level") % {"level": _in_language(details, "level_name")}
    if notification.kind == NotificationKind.BADGE_EARNED:
        badge = _in_language(details, "badge_name")
        if notification.actor is not None:
            return _("%(actor)s awarded you the “%(badge)s” badge") % {
                "actor": str(notification.actor),
                "badge": badge,
            }
        return _("You earned the “%(badge)s” badge") % {"badge": badge}
    reward = str(details.get("reward_name", ""))
    status = details.get("status")
    if status == "rejected":
        points = int(details.get("refunded_points") or 0)
        return ngettext(
            "Your request for “%(reward)s” was declined; %(points)s point was returned to you",
            "Your request for “%(reward)s” was declined; %(points)s points were returned to you",
            points,
        ) % {"reward": reward, "points": points}
    if status == "fulfilled":
        return _("Your reward “%(reward)s” has been handed over") % {"reward": reward}
    return _("Your request for “%(reward)s” was approved") % {"reward": reward}


def describe_notification(notification: Notification, *, is_post_visible: bool) -> str:
    """One sentence in the active language; names the post and who acted only when the reader
    may see the post."""
    if is_recognition(notification):
        return _describe_recognition(notification)
    if is_redacted(notification, is_post_visible=is_post_visible):
        actor, title = _("Someone"), _("a post you cannot see")
    else:
        actor = str(notification.actor) if notification.actor else _("Someone")
        title = notification.post.title if notification.post else _("a post you cannot see")
    kind, target = notification.kind, notification.target_type
    # Only a question is answered; a reply to a discussion or a case study is not an answer.
    # A post the reader may not see keeps its type to itself.
    is_question = (
        not is_redacted(notification, is_post_visible=is_post_visible)
        and notification.post is not None
        and notification.post.post_type == PostType.QUESTION
    )
    if kind == NotificationKind.REPLY and target == "comment":
        return _("%(actor)s commented in “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.REPLY and is_question:
        return _("%(actor)s answered “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.REPLY:
        return _("%(actor)s replied in “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.MENTION:
        return _("%(actor)s mentioned you in “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.ACCEPTED:
        return _("%(actor)s accepted your answer to “%(title)s”") % {
            "actor": actor,
            "title": title,
        }
    if kind == NotificationKind.FOLLOWED and target == "post":
        return _("%(actor)s posted “%(title)s”") % {"actor": actor, "title": title}
    if kind == NotificationKind.FOLLOWED and is_question:
        return _("%(actor)s answered “%(title)s”, which you follow") % {
            "actor": actor,
            "title": title,
        }
    if kind == NotificationKind.FOLLOWED:
        return _("%(actor)s replied in “%(title)s”, which you follow") % {
            "actor": actor,
            "title": title,
        }
    outcome = notification.details.get("outcome", "")
    label = str(ModerationOutcome(outcome).label) if outcome in ModerationOutcome.values else ""
    if target == "answer":
        return _("Your answer in “%(title)s” was %(outcome)s") % {"title": title, "outcome": label}
    return _("Your post “%(title)s” was %(outcome)s") % {"title": title, "outcome": label}
