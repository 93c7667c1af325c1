"""Learning cohorts (学びのコミュニティ, S5, seed 001) and their project maps (プ譜, DOMAIN §2).

A programme runs a few customer companies through a schedule of sessions. Each participant
maps their own project; the map evolves in phases (局面), one per session, each starting as a
copy of the one before. Elements are rows, not a JSON blob, so a diff between two phases and the
progress of a project are queries; an element copied into the next phase keeps its `lineage`,
which is how a diff tells "changed" from "removed and added".
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ProgrammeStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    FINISHED = "finished", pgettext_lazy("cohort programme status", "Finished")


class Programme(models.Model):
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=5000, blank=True)
    # Who may read the programme follows from who may read this space.
    space = models.ForeignKey(
        "spaces.Space", on_delete=models.PROTECT, related_name="cohort_programmes"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_cohort_programmes",
        verbose_name=_("customer success manager"),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PLANNED
    )
    accounts = models.ManyToManyField(
        "customers.CustomerAccount",
        blank=True,
        related_name="cohort_programmes",
        verbose_name=_("participating companies"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Session(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("number"))
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=120)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="cohort_session_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="cohort_session_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Participant(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_participations"
    )
    account = models.ForeignKey(
        "customers.CustomerAccount",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cohort_participants",
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "member"], name="cohort_participant_once")
        ]

    def __str__(self) -> str:
        return str(self.member)


class ProjectMap(models.Model):
    """One project per participant (SPEC S5: each participant maps their own project)."""

    participant = models.OneToOneField(
        Participant, on_delete=models.CASCADE, related_name="project_map"
    )
    title = models.CharField(_("project name"), max_length=120)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant__programme", "participant_id"]

    def __str__(self) -> str:
        return self.title


class Phase(models.Model):
    """A 局面: the map as it stood at one session, with what happened, results and decisions."""

    project_map = models.ForeignKey(ProjectMap, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("phase"))
    session = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="phases"
    )
    happened = models.TextField(_("what happened"), max_length=5000, blank=True)
    results = models.TextField(_("results"), max_length=5000, blank=True)
    decisions = models.TextField(_("decisions"), max_length=5000, blank=True)
    insight = models.TextField(_("insight"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project_map", "number"]
        constraints = [
            models.UniqueConstraint(fields=["project_map", "number"], name="cohort_phase_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="cohort_phase_number_pos"),
        ]

    def __str__(self) -> str:
        return f"{self.project_map} #{self.number}"


class ElementKind(models.TextChoices):
    GOAL = "goal", _("Goal")
    WINNING_CONDITION = "winning_condition", _("Winning condition")
    OBJECTIVE = "objective", _("Intermediate objective")
    MEASURE = "measure", _("Measure")
    FACTOR = "factor", _("Factor")


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", pgettext_lazy("objective status", "At risk")
    ACHIEVED = "achieved", _("Achieved")


class Factor(models.TextChoices):
    """廟算八要素, in the order DOMAIN §2 lists them."""

    PEOPLE = "people", _("People")
    MONEY = "money", _("Money")
    TIME = "time", pgettext_lazy("project map factor", "Time")
    QUALITY = "quality", _("Quality")
    STRUCTURE = "structure", _("Commercial and partner structure")
    ENVIRONMENT = "environment", _("Environment")
    RIVALS = "rivals", _("Rivals")
    THREATS = "threats", _("External threats")


class Element(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="elements")
    kind = models.CharField(_("kind"), max_length=24, choices=ElementKind.choices)
    # The same element across phases: a copy keeps it, a new element gets a new one.
    lineage = models.UUIDField(default=uuid.uuid4, editable=False)
    text = models.TextField(_("text"), max_length=1000, blank=True)
    # A winning condition's measurable target, e.g. "月次解約率 1% 未満".
    target = models.CharField(_("target"), max_length=200, blank=True)
    status = models.CharField(
        _("progress"), max_length=16, choices=ObjectiveStatus.choices, blank=True
    )
    factor = models.CharField(_("factor"), max_length=16, choices=Factor.choices, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # A measure's objectives; only measures hold links.
    objectives = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="measures"
    )

    class Meta:
        ordering = ["phase", "kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["phase", "lineage"], name="cohort_element_lineage"),
            models.UniqueConstraint(
                fields=["phase"], condition=Q(kind="goal"), name="cohort_one_goal_per_phase"
            ),
            models.UniqueConstraint(
                fields=["phase", "factor"],
                condition=Q(kind="factor"),
                name="cohort_one_row_per_factor",
            ),
            models.CheckConstraint(
                condition=Q(kind="objective", status__in=ObjectiveStatus.values)
                | (~Q(kind="objective") & Q(status="")),
                name="cohort_status_only_on_objectives",
            ),
            models.CheckConstraint(
                condition=Q(kind="factor", factor__in=Factor.values)
                | (~Q(kind="factor") & Q(factor="")),
                name="cohort_factor_only_on_factors",
            ),
        ]
        indexes = [models.Index(fields=["phase", "kind"], name="cohort_element_kind")]

    def __str__(self) -> str:
        return self.text[:40]


class Feedback(models.Model):
    """Peer and staff feedback on one phase of a map."""

    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="cohort_feedback"
    )
    body = models.TextField(_("comment"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["phase", "created_at", "id"]

    def __str__(self) -> str:
        return self.body[:40]


class KnowledgeCapture(models.Model):
    """Which feedback comment or phase insight became which knowledge article, once each."""

    feedback = models.OneToOneField(
        Feedback, null=True, blank=True, on_delete=models.CASCADE, related_name="capture"
    )
    phase = models.OneToOneField(
        Phase, null=True, blank=True, on_delete=models.CASCADE, related_name="capture"
    )
    article = models.ForeignKey(
        "content.KnowledgeArticle", on_delete=models.CASCADE, related_name="cohort_captures"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(feedback__isnull=True, phase__isnull=False)
                | Q(feedback__isnull=False, phase__isnull=True),
                name="cohort_capture_one_source",
            )
        ]

    def __str__(self) -> str:
        return str(self.article_id)
