"""Reads of cohorts and project maps: the phases, the diff between two phases, and progress.

Progress is the customer's "big health" (大きなヘルス, seed 001), which the customer-success
pages read next to product usage: `project_progress(project_map)` for one project and
`account_project_progress(account)` for a customer company. Both answer the share of
intermediate objectives achieved in the latest phase and the same share phase by phase (the
trend); a project with no objectives yet has no share (None), not 0 %.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet

from kizuna.cohorts.models import (
    Element,
    ElementKind,
    Factor,
    Feedback,
    ObjectiveStatus,
    Phase,
    Programme,
    ProjectMap,
)
from kizuna.cohorts.permissions import programmes_visible_to
from kizuna.customers.models import CustomerAccount
from kizuna.identity.permissions import Viewer


def programmes_for(viewer: Viewer) -> QuerySet[Programme]:
    return programmes_visible_to(viewer).select_related("space", "owner")


def maps_of_programme(programme: Programme) -> QuerySet[ProjectMap]:
    return (
        ProjectMap.objects.filter(participant__programme=programme)
        .select_related("participant__member", "participant__account")
        .annotate(phase_count=Count("phases"))
        .order_by("participant__account__name", "participant_id")
    )


def phases_of(project_map: ProjectMap) -> QuerySet[Phase]:
    return Phase.objects.filter(project_map=project_map).select_related("session")


def latest_phase(project_map: ProjectMap) -> Phase | None:
    return phases_of(project_map).order_by("-number").first()


def elements_of(phase: Phase) -> QuerySet[Element]:
    return (
        Element.objects.filter(phase=phase)
        .prefetch_related(Prefetch("objectives", queryset=Element.objects.order_by("position")))
        .order_by("position", "id")
    )


@dataclass
class PhaseElements:
    """A phase's elements grouped as the map shows them."""

    goal: Element | None = None
    winning_conditions: list[Element] = field(default_factory=list)
    objectives: list[Element] = field(default_factory=list)
    measures: list[Element] = field(default_factory=list)
    factors: list[Element] = field(default_factory=list)

    @property
    def objectives_without_measure(self) -> list[Element]:
        """DOMAIN §2's check: an objective nothing works towards is flagged."""
        linked = {
            objective.pk for measure in self.measures for objective in measure.objectives.all()
        }
        return [objective for objective in self.objectives if objective.pk not in linked]


def phase_elements(phase: Phase) -> PhaseElements:
    grouped = PhaseElements()
    factor_order = {value: index for index, value in enumerate(Factor.values)}
    for element in elements_of(phase):
        if element.kind == ElementKind.GOAL:
            grouped.goal = element
        elif element.kind == ElementKind.WINNING_CONDITION:
            grouped.winning_conditions.append(element)
        elif element.kind == ElementKind.OBJECTIVE:
            grouped.objectives.append(element)
        elif element.kind == ElementKind.MEASURE:
            grouped.measures.append(element)
        else:
            grouped.factors.append(element)
    grouped.factors.sort(key=lambda element: factor_order.get(element.factor, len(factor_order)))
    return grouped


def feedback_on(phase: Phase) -> QuerySet[Feedback]:
    return Feedback.objects.filter(phase=phase).select_related("author", "capture")


# The diff between two phases ----------------------------------------------------------------


class Change(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    CHANGED = "changed"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class ElementDiff:
    lineage: UUID
    kind: str
    change: Change
    before: Element | None
    after: Element | None
    # Which of text, target, status and links differ, for a changed element.
    fields: tuple[str, ...] = ()


def _snapshot(phase: Phase) -> dict[UUID, tuple[Element, frozenset[UUID]]]:
    return {
        element.lineage: (element, frozenset(linked.lineage for linked in element.objectives.all()))
        for element in elements_of(phase)
    }


def phase_diff(earlier: Phase, later: Phase) -> list[ElementDiff]:
    """Every element of either phase, matched by lineage: added, removed, changed or unchanged.

    Works for any two phases of a map, in either order of numbers; "added" is relative to
    `earlier`.
    """
    before, after = _snapshot(earlier), _snapshot(later)
    diffs: list[ElementDiff] = []
    for lineage, (new, new_links) in after.items():
        if lineage not in before:
            diffs.append(ElementDiff(lineage, new.kind, Change.ADDED, None, new))
            continue
        old, old_links = before[lineage]
        fields = tuple(
            name
            for name in ("text", "target", "status")
            if getattr(old, name) != getattr(new, name)
        ) + (("links",) if old_links != new_links else ())
        change = Change.CHANGED if fields else Change.UNCHANGED
        diffs.append(ElementDiff(lineage, new.kind, change, old, new, fields))
    diffs.extend(
        ElementDiff(lineage, old.kind, Change.REMOVED, old, None)
        for lineage, (old, _links) in before.items()
        if lineage not in after
    )
    kind_order = {value: index for index, value in enumerate(ElementKind.values)}
    diffs.sort(key=lambda diff: (kind_order[diff.kind], (diff.after or diff.before).position))  # type: ignore[union-attr]
    return diffs


# Progress: the big health --------------------------------------------------------------------


@dataclass(frozen=True)
class PhaseProgress:
    number: int
    achieved: int
    objectives: int

    @property
    def share(self) -> float | None:
        return self.achieved / self.objectives if self.objectives else None


@dataclass(frozen=True)
class Progress:
    """Objectives achieved in the latest phase, and the same figure for every phase in order."""

    latest: PhaseProgress | None
    trend: tuple[PhaseProgress, ...]

    @property
    def share(self) -> float | None:
        return self.latest.share if self.latest else None

    @property
    def percent(self) -> int | None:
        share = self.share
        return round(share * 100) if share is not None else None

    @property
    def change(self) -> float | None:
        """The share now minus the share one phase before: positive is moving forward."""
        shares = [point.share for point in self.trend if point.share is not None]
        return shares[-1] - shares[-2] if len(shares) >= 2 else None


_OBJECTIVE_COUNTS = {
    "objective_count": Count("elements", filter=Q(elements__kind=ElementKind.OBJECTIVE)),
    "achieved_count": Count(
        "elements",
        filter=Q(elements__kind=ElementKind.OBJECTIVE, elements__status=ObjectiveStatus.ACHIEVED),
    ),
}


def project_progress(project_map: ProjectMap) -> Progress:
    trend = tuple(
        PhaseProgress(row["number"], row["achieved_count"], row["objective_count"])
        for row in Phase.objects.filter(project_map=project_map)
        .values("number")
        .annotate(**_OBJECTIVE_COUNTS)
        .order_by("number")
    )
    return Progress(latest=trend[-1] if trend else None, trend=trend)


def account_project_progress(account: CustomerAccount) -> Progress:
    """A company's projects together: each project's latest phase counts once in the figure, and
    the trend adds up the phases of the same number across its projects."""
    rows = (
        Phase.objects.filter(project_map__participant__account=account)
        .values("project_map_id", "number")
        .annotate(**_OBJECTIVE_COUNTS)
        .order_by("number")
    )
    by_number: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    latest_of_map: dict[int, tuple[int, int, int]] = {}
    for row in rows:
        totals = by_number[row["number"]]
        totals[0] += row["achieved_count"]
        totals[1] += row["objective_count"]
        latest_of_map[row["project_map_id"]] = (
            row["number"],
            row["achieved_count"],
            row["objective_count"],
        )
    trend = tuple(
        PhaseProgress(number, achieved, objectives)
        for number, (achieved, objectives) in sorted(by_number.items())
    )
    if not latest_of_map:
        return Progress(latest=None, trend=trend)
    latest = PhaseProgress(
        number=max(number for number, _a, _o in latest_of_map.values()),
        achieved=sum(achieved for _n, achieved, _o in latest_of_map.values()),
        objectives=sum(objectives for _n, _a, objectives in latest_of_map.values()),
    )
    return Progress(latest=latest, trend=trend)
