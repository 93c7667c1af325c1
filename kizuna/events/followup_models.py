"""What an event leaves behind and what brings people to it: survey answers, the list of
attendees who want to connect, connect requests, and invitations (S5).

Kept apart from kizuna.events.models (which imports this module at its end so Django
registers these models with the app) and linked to it only by model names, so neither module
imports the other's classes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SATISFACTION_MIN, SATISFACTION_MAX = 1, 5
NPS_MIN, NPS_MAX = 0, 10


class SurveyResponse(models.Model):
    """One attendee's answer to the post-event survey; editable until the survey closes."""

    registration = models.OneToOneField(
        "events.Registration", on_delete=models.CASCADE, related_name="survey_response"
    )
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"))
    # "How likely are you to recommend this event to a colleague?" (0–10), the NPS question.
    recommend = models.PositiveSmallIntegerField(_("likelihood to recommend"))
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(satisfaction__gte=SATISFACTION_MIN, satisfaction__lte=SATISFACTION_MAX),
                name="event_survey_satisfaction_range",
            ),
            models.CheckConstraint(
                condition=Q(recommend__gte=NPS_MIN, recommend__lte=NPS_MAX),
                name="event_survey_recommend_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.registration_id}: {self.satisfaction}/{self.recommend}"


class ConnectOptIn(models.Model):
    """An attendee who is happy for the other attendees of an event to ask to connect."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="event_connect_opt_in_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.member_id}"


class ConnectionStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("connect request", "Waiting for an answer")
    ACCEPTED = "accepted", pgettext_lazy("connect request", "Connected")
    DECLINED = "declined", pgettext_lazy("connect request", "Declined")


class ConnectionRequest(models.Model):
    """One attendee asking another to connect; they are connected once the other accepts."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        max_length=10, choices=ConnectionStatus.choices, default=ConnectionStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "requester", "recipient"], name="event_connection_once"
            ),
            models.CheckConstraint(
                condition=~Q(requester=models.F("recipient")), name="event_connection_not_self"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "status"], name="event_connection_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.requester_id} → {self.recipient_id} ({self.status})"


class EventInvitation(models.Model):
    """A member staff invited to an event; whether they registered and attended is read from
    their registration, so the tracking can never disagree with it."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "member"], name="event_invitation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.member_id}"
