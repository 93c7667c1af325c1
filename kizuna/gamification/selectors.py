"""Reads of points, levels and ledgers shared by pages, the API and other apps."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from kizuna.gamification.models import (
    LeaderboardTally,
    LedgerEntry,
    Level,
    MemberBalance,
    MemberRecognitionSettings,
)
from kizuna.gamification.tallies import ALL_TIME, month_period
from kizuna.identity.models import Member
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import spaces_with_visible_content


@dataclass(frozen=True)
class LevelProgress:
    level: Level | None
    next_level: Level | None
    points: int
    points_to_next: int
    percent: int


def get_balance(member: Member) -> int:
    """Points the member can spend now (the cached sum of their ledger)."""
    row = MemberBalance.objects.filter(member_id=member.pk).values_list("balance", flat=True)
    return int(next(iter(row), 0))


def get_lifetime_points(member: Member) -> int:
    """Points earned (awards − reversals + adjustments): what levels are measured on."""
    row = MemberBalance.objects.filter(member_id=member.pk).values_list(
        "lifetime_points", flat=True
    )
    return int(next(iter(row), 0))


def list_levels() -> list[Level]:
    """All levels, lowest threshold first."""
    return list(Level.objects.order_by("threshold"))


def level_for_points(points: int, levels: list[Level]) -> Level | None:
    """The highest level whose threshold the points reach; `levels` sorted by threshold."""
    current: Level | None = None
    for level in levels:
        if points >= level.threshold:
            current = level
    return current


def progress_for_points(points: int, levels: list[Level]) -> LevelProgress:
    """Level, next level and exact points left, from points and a sorted list of levels."""
    level = level_for_points(points, levels)
    next_level = next((item for item in levels if item.threshold > points), None)
    if next_level is None:
        return LevelProgress(level, None, points, 0, 100)
    floor = level.threshold if level is not None else 0
    span = next_level.threshold - floor
    percent = max(0, min(100, (points - floor) * 100 // span)) if span > 0 else 0
    return LevelProgress(level, next_level, points, next_level.threshold - points, percent)


def get_level_progress(member: Member) -> LevelProgress:
    """Where the member stands: level, next level, points and exactly what is left to reach it."""
    return progress_for_points(get_lifetime_points(member), list_levels())


def levels_for_members(member_ids: set[int]) -> dict[int, Level | None]:
    """Each member's level in one query (for bylines and lists); unsaved Level copies."""
    points = Coalesce(
        Subquery(
            MemberBalance.objects.filter(member_id=OuterRef("pk")).values("lifetime_points")[:1]
        ),
        0,
    )
    reached = Level.objects.filter(threshold__lte=OuterRef("points")).order_by("-threshold")
    rows = (
        Member.objects.filter(pk__in=member_ids)
        .annotate(points=points)
        .annotate(
            level_pk=Subquery(reached.values("pk")[:1]),
            level_name_ja=Subquery(reached.values("name_ja")[:1]),
            level_name_en=Subquery(reached.values("name_en")[:1]),
            level_threshold=Subquery(reached.values("threshold")[:1]),
            level_colour=Subquery(reached.values("colour")[:1]),
        )
        .values_list(
            "pk", "level_pk", "level_name_ja", "level_name_en", "level_threshold", "level_colour"
        )
    )
    levels: dict[int, Level | None] = dict.fromkeys(member_ids)
    for member_id, level_pk, name_ja, name_en, threshold, colour in rows:
        if level_pk is not None:
            levels[member_id] = Level(
                pk=level_pk, name_ja=name_ja, name_en=name_en, threshold=threshold, colour=colour
            )
    return levels


def ledger_for_member(member: Member) -> QuerySet[LedgerEntry]:
    """The member's ledger, newest first."""
    return LedgerEntry.objects.filter(member_id=member.pk).select_related("rule")


class LeaderboardPeriod(StrEnum):
    ALL = "all"
    MONTH = "month"


def leaderboard(
    *, viewer: Any, period: LeaderboardPeriod, space: Space | None = None
) -> QuerySet[LeaderboardTally, dict[str, Any]]:
    """Rows of (member_id, total): awards minus reversals in the period, best first.

    Only points from sources the viewer may see count (a space's board: that space only),
    and members who opted out are left off. Read from the tallies, which hold the same
    sums as the ledger per member, space and month.
    """
    tallies = LeaderboardTally.objects.filter(
        period=ALL_TIME if period == LeaderboardPeriod.ALL else month_period(timezone.now())
    )
    if space is not None:
        tallies = tallies.filter(space_id=space.pk)
    else:
        visible = spaces_with_visible_content(viewer).values("pk")
        tallies = tallies.filter(Q(space__isnull=True) | Q(space_id__in=visible))
    opted_out = MemberRecognitionSettings.objects.filter(show_on_leaderboards=False).values(
        "member_id"
    )
    return (
        tallies.exclude(member_id__in=opted_out)
        .values("member_id")
        .annotate(total=Sum("points"))
        .filter(total__gt=0)
        .order_by("-total", "member_id")
    )


def shows_on_leaderboards(member: Member) -> bool:
    """Whether the member lets leaderboards show them (the default)."""
    return not MemberRecognitionSettings.objects.filter(
        member_id=member.pk, show_on_leaderboards=False
    ).exists()
