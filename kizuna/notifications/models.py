"""In-app notifications and the email preferences that decide which of them are emailed (S8/S9).

A notification is a fact committed with the action that caused it; emails are side
effects queued after commit. `email_channel` is the channel chosen when the
notification was made; `emailed_at` / `email_dropped_at` record what became of it,
so a sweep can find immediate emails a killed worker left unsent.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("Replies to my posts and answers")
    MENTION = "mention", _("Mentions of me")
    ACCEPTED = "accepted", _("My answer was accepted")
    FOLLOWED = "followed", _("New posts and answers in what I follow")
    MODERATION = "moderation", _("Moderation decisions on my content")
    LEVEL_UP = "level_up", _("I reached a new level")
    BADGE_EARNED = "badge_earned", _("I earned a badge")
    REDEMPTION = "redemption", _("Decisions on my reward redemptions")


class EmailChannel(models.TextChoices):
    OFF = "off", _("No email")
    IMMEDIATE = "immediate", _("Immediately")
    DAILY_DIGEST = "daily_digest", _("Daily digest")


DEFAULT_EMAIL_CHANNEL: dict[str, str] = {
    NotificationKind.REPLY: EmailChannel.IMMEDIATE,
    NotificationKind.MENTION: EmailChannel.IMMEDIATE,
    NotificationKind.ACCEPTED: EmailChannel.IMMEDIATE,
    NotificationKind.FOLLOWED: EmailChannel.DAILY_DIGEST,
    NotificationKind.MODERATION: EmailChannel.IMMEDIATE,
    # A level is reached a handful of times in a membership: worth an email of its own.
    NotificationKind.LEVEL_UP: EmailChannel.IMMEDIATE,
    # Automatic badges arrive in bursts (a sweep after a new criterion awards several at
    # once), so they are gathered in the digest rather than sent one email each.
    NotificationKind.BADGE_EARNED: EmailChannel.DAILY_DIGEST,
    # The member is waiting for the decision, and a rejection gives their points back.
    NotificationKind.REDEMPTION: EmailChannel.IMMEDIATE,
}


class ModerationOutcome(models.TextChoices):
    HELD = "held", _("held for review")
    APPROVED = "approved", _("approved")
    HIDDEN = "hidden", _("hidden")
    WARNED = "warned", _("warned")


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    post = models.ForeignKey(
        "content.Post", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # What the notification is about inside the post: "post", "answer" or "comment".
    target_type = models.CharField(max_length=32, blank=True)
    target_id = models.BigIntegerField(null=True, blank=True)
    # The activity row it came from, kept as a plain id like the stream's own references.
    activity_id = models.BigIntegerField(null=True, blank=True)
    # Moderation outcome and reason, or a snapshot of the level, badge or redemption a
    # recognition notice is about (so the list needs no query per row); nothing a
    # recipient may not see.
    details = models.JSONField(default=dict, blank=True)
    # Notices that do not come from an activity are made once per key: "level:<id>",
    # "badge_award:<id>", "redemption:<id>:<status>".
    dedupe_key = models.CharField(max_length=64, blank=True, default="")
    email_channel = models.CharField(
        max_length=16, choices=EmailChannel.choices, default=EmailChannel.OFF
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_dropped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "activity_id"],
                condition=Q(activity_id__isnull=False),
                name="notification_once_per_activity",
            ),
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_once_per_key",
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread",
            ),
            models.Index(
                fields=["email_channel", "created_at"],
                condition=Q(emailed_at__isnull=True, email_dropped_at__isnull=True)
                & ~Q(email_channel="off"),
                name="notification_email_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A member's email channel for one kind; without a row the default applies. In-app is always on."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=16, choices=NotificationKind.choices)
    email = models.CharField(max_length=16, choices=EmailChannel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["member", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind}: {self.email}"
