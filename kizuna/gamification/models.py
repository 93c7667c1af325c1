"""Points rules, the append-only points ledger, cached balances, levels and leaderboard settings.

The ledger is the only source of truth: `MemberBalance` is a cache kept in the same
transaction as every entry, under a row lock, and a test proves it equals the sum.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleKey(models.TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    PROFILE_COMPLETED = "profile_completed", _("Completed the profile")
    ASKED_QUESTION = "asked_question", _("Asked a question")
    ANSWERED = "answered", _("Answered")
    ANSWER_ACCEPTED = "answer_accepted", _("Answer accepted")
    ACCEPTED_AN_ANSWER = "accepted_an_answer", _("Accepted an answer")
    LIKE_RECEIVED = "like_received", _("Like received")
    EVENT_ATTENDED = "event_attended", _("Attended an event")
    EVENT_SPOKE = "event_spoke", _("Spoke at an event")
    CASE_STUDY_PUBLISHED = "case_study_published", _("Published a case study")
    INVITED_CUSTOMER_JOINED = "invited_customer_joined", _("Invited a customer who joined")
    IDEA_SHIPPED = "idea_shipped", _("Idea shipped")


class PointRule(models.Model):
    key = models.CharField(_("key"), max_length=40, unique=True)
    points = models.IntegerField(_("points"))
    daily_cap = models.PositiveIntegerField(
        _("daily cap"), null=True, blank=True, help_text=_("Most points per member per UTC day.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["key"]

    def __str__(self) -> str:
        return f"{self.key} ({self.points})"

    @property
    def label(self) -> str:
        try:
            return str(RuleKey(self.key).label)
        except ValueError:
            return self.key


class EntryKind(models.TextChoices):
    AWARD = "award", pgettext_lazy("points history entry", "Award")
    REVERSAL = "reversal", _("Reversal")
    SPEND = "spend", _("Spend")
    REFUND = "refund", _("Refund")
    ADJUSTMENT = "adjustment", _("Adjustment")


# Kinds that count towards levels and leaderboards; spending never lowers a level.
EARNING_KINDS = (EntryKind.AWARD, EntryKind.REVERSAL, EntryKind.ADJUSTMENT)


class LedgerEntry(models.Model):
    """One append-only movement of points; never updated, never deleted."""

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    amount = models.IntegerField()
    rule = models.ForeignKey(
        PointRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    source_type = models.CharField(max_length=40, blank=True)
    source_id = models.BigIntegerField(null=True, blank=True)
    # The activity this award came from, kept as a plain id like the stream itself.
    activity_id = models.BigIntegerField(null=True, blank=True)
    # The other member of a like (anti-gaming between the same pair).
    counterparty = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    space = models.ForeignKey(
        "spaces.Space",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    idempotency_key = models.CharField(max_length=200, unique=True)
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="ledger_member_time"),
            models.Index(fields=["kind", "created_at"], name="ledger_kind_time"),
            models.Index(fields=["space", "created_at"], name="ledger_space_time"),
            models.Index(fields=["activity_id"], name="ledger_activity"),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="ledger_amount_not_zero"),
            models.CheckConstraint(
                condition=Q(kind__in=["spend"], amount__lt=0)
                | Q(kind__in=["refund"], amount__gt=0)
                | Q(kind__in=["award", "reversal", "adjustment"]),
                name="ledger_amount_sign_by_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.amount:+d}"


class MemberBalance(models.Model):
    """Cached sums of a member's ledger, written only with the row locked."""

    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="points_balance"
    )
    balance = models.IntegerField(default=0)
    # Awards minus reversals plus adjustments: the lifetime points levels are measured on.
    lifetime_points = models.IntegerField(default=0)

    class Meta:
        # The all-time community board reads its best rows straight off this index.
        indexes = [models.Index(fields=["-lifetime_points", "member"], name="balance_board")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.balance}"


class Level(models.Model):
    name_ja = models.CharField(_("name (Japanese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=50)
    threshold = models.PositiveIntegerField(_("points needed"), unique=True)
    colour = models.CharField(_("colour"), max_length=7, default="#8c6239")

    class Meta:
        ordering = ["threshold"]

    def __str__(self) -> str:
        return self.name_en


class MemberRecognitionSettings(models.Model):
    member = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recognition_settings"
    )
    show_on_leaderboards = models.BooleanField(_("show me on leaderboards"), default=True)

    def __str__(self) -> str:
        return f"{self.member_id}: {self.show_on_leaderboards}"


class GamificationCursor(models.Model):
    """High-water mark of the activity sweep: every activity up to it has been considered."""

    name = models.CharField(max_length=40, unique=True)
    last_activity_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.last_activity_id}"


class LeaderboardTally(models.Model):
    """Awards minus reversals of one member in one space (or none) over one period.

    Leaderboards sum these rows instead of millions of ledger entries. They are written
    only beside a ledger entry, under the member's balance lock, and a test proves they
    equal the ledger's sums (docs/adr/0008-points-ledger.md).
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    space = models.ForeignKey(
        "spaces.Space",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # "all", or a month in the site's time zone such as "2026-11".
    period = models.CharField(max_length=7)
    points = models.IntegerField(default=0)

    class Meta:
        # A space's board reads the best rows of one (period, space) straight off this index.
        indexes = [
            models.Index(fields=["period", "space", "-points", "member"], name="tally_space_board")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "space", "period"],
                condition=Q(space__isnull=False),
                name="tally_member_space_period",
            ),
            models.UniqueConstraint(
                fields=["member", "period"],
                condition=Q(space__isnull=True),
                name="tally_member_no_space_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.space_id} {self.period}: {self.points}"


class LeaderboardTotal(models.Model):
    """A member's tallies of one month summed over every space, kept beside the tallies.

    `points` is the month's board of a viewer who sees every space. `ceiling` sums only the positive
    tallies: no viewer's total can exceed it (a month's tally goes negative when an earlier
    month's award is reversed), so the community board walks members by it and stops once
    nobody further down can overtake (docs/adr/0008-points-ledger.md).
    """

    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    period = models.CharField(max_length=7)
    points = models.IntegerField(default=0)
    ceiling = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["period", "-ceiling", "member"], name="total_board"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["member", "period"], name="total_member_period"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} {self.period}: {self.points}"
