"""Contests (S4 item 7): time-boxed competitions with entries, judging or voting, and winners.

A contest's state is never stored: it follows from `published_at`, the time box
(`opens_at`, `closes_at`) and `announced_at`, so a contest opens and closes on time
without a background job. Winners are paid through the points ledger, once each.
"""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MAX_WINNERS = 10


class ContestKind(models.TextChoices):
    BEST_PROFILE = "best_profile", _("Best profile")
    BEST_CASE_STUDY = "best_case_study", _("Best case study")
    TOP_CONTRIBUTORS = "top_contributors", _("Top contributors")
    GENERAL = "general", _("General")


class Judging(models.TextChoices):
    STAFF = "staff", _("Judged by staff")
    MEMBER_VOTE = "member_vote", _("Member voting")


class ContestState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SCHEDULED = "scheduled", _("Opens soon")
    OPEN = "open", pgettext_lazy("contest state", "Open")
    JUDGING = "judging", _("Closed, winners coming soon")
    ANNOUNCED = "announced", _("Winners announced")


class Contest(models.Model):
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    # Rendered and sanitised when saved, like posts; never rendered per request.
    description_html = models.TextField(blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=ContestKind.choices)
    judging = models.CharField(_("judging"), max_length=16, choices=Judging.choices)
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    winner_count = models.PositiveSmallIntegerField(_("number of winners"), default=1)
    points_per_winner = models.PositiveIntegerField(_("points per winner"), default=0)
    badge = models.ForeignKey(
        "badges.Badge",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("badge for the winners"),
    )
    published_at = models.DateTimeField(null=True, blank=True)
    announced_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="contest_closes_after_opens"
            ),
            models.CheckConstraint(
                condition=Q(winner_count__gte=1, winner_count__lte=MAX_WINNERS),
                name="contest_winner_count_in_range",
            ),
            models.CheckConstraint(
                condition=Q(announced_at__isnull=True) | Q(published_at__isnull=False),
                name="contest_announced_only_when_published",
            ),
        ]
        indexes = [
            models.Index(fields=["-announced_at"], name="contest_announced"),
            models.Index(fields=["published_at", "opens_at", "closes_at"], name="contest_time_box"),
        ]

    def __str__(self) -> str:
        return self.title

    def state_at(self, moment: datetime) -> ContestState:
        if self.published_at is None:
            return ContestState.DRAFT
        if self.announced_at is not None:
            return ContestState.ANNOUNCED
        if moment < self.opens_at:
            return ContestState.SCHEDULED
        if moment < self.closes_at:
            return ContestState.OPEN
        return ContestState.JUDGING

    @property
    def state(self) -> ContestState:
        return self.state_at(timezone.now())

    @property
    def takes_entries(self) -> bool:
        """Top contributors are found from the points ledger; every other kind takes entries."""
        return self.kind != ContestKind.TOP_CONTRIBUTORS

    @property
    def is_member_vote(self) -> bool:
        return self.judging == Judging.MEMBER_VOTE


class Entry(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="entries")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_entries"
    )
    statement = models.TextField(_("statement"), max_length=2000)
    # Best case study only; shown solely to viewers who may read the post.
    post = models.ForeignKey(
        "content.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("case study"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "member"], name="contest_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id}: {self.member_id}"


class Vote(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contest_votes"
    )
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="votes")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contest", "voter"], name="contest_vote_once"),
        ]
        indexes = [models.Index(fields=["entry"], name="contest_vote_entry")]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.entry_id}"


class Winner(models.Model):
    contest = models.ForeignKey(Contest, on_delete=models.CASCADE, related_name="winners")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contest_wins"
    )
    place = models.PositiveSmallIntegerField()
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Votes received or points earned in the window when the winner was decided.
    score = models.IntegerField(null=True, blank=True)

    class Meta:
        ordering = ["contest", "place"]
        constraints = [
            models.UniqueConstraint(fields=["contest", "place"], name="contest_winner_place_once"),
            models.UniqueConstraint(fields=["contest", "member"], name="contest_winner_once"),
            models.CheckConstraint(condition=Q(place__gte=1), name="contest_winner_place_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.contest_id} #{self.place}: {self.member_id}"
