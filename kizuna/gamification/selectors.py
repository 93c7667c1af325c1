"""Reads of points, levels and ledgers shared by pages, the API and other apps."""

from dataclasses import dataclass

from django.db.models import QuerySet

from kizuna.gamification.models import LedgerEntry, Level, MemberBalance
from kizuna.identity.models import Member


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


def levels_for_members(member_ids: set[int], levels: list[Level]) -> dict[int, Level | None]:
    """Each member's level in one query (for bylines and lists)."""
    points = dict(
        MemberBalance.objects.filter(member_id__in=member_ids).values_list(
            "member_id", "lifetime_points"
        )
    )
    return {pk: level_for_points(points.get(pk, 0), levels) for pk in member_ids}


def ledger_for_member(member: Member) -> QuerySet[LedgerEntry]:
    """The member's ledger, newest first."""
    return LedgerEntry.objects.filter(member_id=member.pk).select_related("rule")
