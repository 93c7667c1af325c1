"""Community-touch plays: the rules that find where an action is due, and the plays they open.

Rules are data (staff edit their tier, thresholds and segment); `kizuna.plays.services.
evaluate_plays` runs every enabled rule as SQL and opens, wakes and closes plays. At most one
open-or-snoozed play exists per rule, account and member: a conditional unique index holds it,
whoever opens the play (the hourly task, a second worker, "evaluate now" on the rules page).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.customers.models import CustomerAccount, TouchTier
from kizuna.plays.kinds import PlayKind
from kizuna.plays.reasons import reason_sentence


class PlayRule(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=PlayKind.choices)
    # Empty: the kind's own label, in the reader's language.
    title = models.CharField(_("title"), max_length=200, blank=True)
    # Empty: accounts of every tier.
    tier = models.CharField(_("touch tier"), max_length=8, choices=TouchTier.choices, blank=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    days = models.PositiveSmallIntegerField(_("days"), null=True, blank=True)
    window_days = models.PositiveSmallIntegerField(_("window in days"), null=True, blank=True)
    percentage = models.PositiveSmallIntegerField(_("percentage"), null=True, blank=True)
    minimum = models.PositiveSmallIntegerField(_("minimum"), null=True, blank=True)
    any_activity = models.BooleanField(_("any activity counts"), default=False)
    # Only the segment's accounts (a members segment: the accounts of its members; for a
    # per-member rule, only its members). A deleted segment leaves the rule on every account.
    segment = models.ForeignKey(
        "segments.Segment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="play_rules",
        verbose_name=_("segment"),
    )
    # After a play is done or dismissed, the same play is not opened again for this long.
    cooldown_days = models.PositiveSmallIntegerField(
        _("days before a closed play reopens"), default=30
    )
    position = models.PositiveSmallIntegerField(default=0)
    last_evaluated_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percentage__isnull=True) | Q(percentage__lte=100),
                name="play_rule_percentage_lte_100",
            ),
            models.CheckConstraint(
                condition=Q(days__isnull=True) | Q(days__gte=1), name="play_rule_days_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return self.title or str(self.get_kind_display())


class PlayStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("play status", "Open")
    SNOOZED = "snoozed", pgettext_lazy("play status", "Snoozed")
    DONE = "done", pgettext_lazy("play status", "Done")
    DISMISSED = "dismissed", pgettext_lazy("play status", "Dismissed")
    RESOLVED = "resolved", pgettext_lazy("play status", "Resolved by itself")


# A play still waiting for someone: the unique index covers these.
LIVE_STATUSES = (PlayStatus.OPEN, PlayStatus.SNOOZED)
CLOSED_STATUSES = (PlayStatus.DONE, PlayStatus.DISMISSED, PlayStatus.RESOLVED)


class Play(models.Model):
    rule = models.ForeignKey(PlayRule, on_delete=models.PROTECT, related_name="plays")
    account = models.ForeignKey(CustomerAccount, on_delete=models.CASCADE, related_name="plays")
    # The member a per-member play is about (a champion gone quiet); empty for account plays.
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=PlayStatus.choices, default=PlayStatus.OPEN
    )
    # What the rule found, for the reason sentence built in the reader's language at display time.
    params = models.JSONField(default=dict, blank=True)
    # The account's CSM when the play opened.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    # When and by whom it was done, dismissed or (by nobody) resolved.
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    dismiss_reason = models.CharField(_("reason for dismissing"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["opened_at", "pk"]
        constraints = [
            # One live play per rule, account and member; an account play's member is NULL, so
            # the index reads it as 0 (NULLs would never clash).
            models.UniqueConstraint(
                F("rule"),
                F("account"),
                Coalesce(F("member"), Value(0)),
                condition=Q(status__in=["open", "snoozed"]),
                name="play_one_live_per_rule_account_member",
            ),
            models.CheckConstraint(
                condition=~Q(status="snoozed") | Q(snoozed_until__isnull=False),
                name="play_snoozed_has_a_date",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "owner"], name="play_status_owner"),
            models.Index(fields=["account", "status"], name="play_account_status"),
            models.Index(fields=["status", "snoozed_until"], name="play_status_snooze"),
        ]

    def __str__(self) -> str:
        return f"{self.rule}: {self.account}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    @property
    def reason(self) -> str:
        """Why the play is due, in the active language."""
        params: dict[str, Any] = self.params if isinstance(self.params, dict) else {}
        member_name = str(self.member) if self.member_id and self.member else ""
        return reason_sentence(self.rule.kind, params, member_name=member_name)
