"""The append-only activity stream: one row per meaningful action (S8).

Rows are never updated or deleted by the application. Foreign keys are kept
without database constraints so that the table can be partitioned by month
later, and so that deleting a member or space never rewrites history; see
docs/adr/0005-activity-stream-storage.md for the indexing choice (BRIN on time).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Verb(models.TextChoices):
    POSTED = "posted", _("posted")
    ANSWERED = "answered", _("answered")
    COMMENTED = "commented", _("commented")
    REACTED = "reacted", _("reacted")
    ACCEPTED = "accepted", _("accepted an answer")
    VIEWED = "viewed", _("viewed")
    JOINED = "joined", _("joined a space")
    FLAGGED = "flagged", _("flagged")
    LOGGED_IN = "logged_in", _("signed in")
    REGISTERED = "registered", _("registered for an event")
    ATTENDED = "attended", _("attended an event")
    SPOKE = "spoke", _("spoke at an event")


class Activity(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    verb = models.CharField(max_length=16, choices=Verb.choices)
    object_type = models.CharField(max_length=32)
    object_id = models.BigIntegerField(null=True)
    space = models.ForeignKey(
        "spaces.Space",
        null=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The actor's customer account at the time of the action, kept as a plain id: history, not a link.
    account_id = models.BigIntegerField(null=True)
    occurred_at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["actor", "occurred_at"], name="activity_actor_time"),
            models.Index(fields=["space", "occurred_at"], name="activity_space_time"),
            models.Index(fields=["account_id", "occurred_at"], name="activity_account_time"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.verb} {self.object_type}:{self.object_id}"
