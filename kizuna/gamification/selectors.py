"""Reads of points, levels and ledgers shared by pages, the API and other apps.

A member's standing is one figure, their lifetime points: awards minus reversals plus staff
adjustments (migrated credit, recompute corrections), never lowered by spending. Levels,
the profile, the recognition page, the directory, the all-time community board and the API
all read it from here; only boards of a month or of one space count something else, the
points earned there (docs/adr/0012-one-points-figure.md).
"""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import IntegerField, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from kizuna.gamification.models import (
    LeaderboardTally,
    LeaderboardTotal,
    LedgerEntry,
    Level,
    MemberBalance,
    MemberRecognitionSettings,
    PointRule,
)
from kizuna.gamification.tallies import ALL_TIME, month_period
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer
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
    """The member's lifetime points (awards − reversals + adjustments): what levels measure."""
    row = MemberBalance.objects.filter(member_id=member.pk).values_list(
        "lifetime_points", flat=True
    )
    return int(next(iter(row), 0))


def lifetime_points_expression() -> Coalesce:
    """`get_lifetime_points` as an annotation of a Member queryset, for lists and filters."""
    return Coalesce(
        Subquery(
            MemberBalance.objects.filter(member_id=OuterRef("pk")).values("lifetime_points")[:1]
        ),
        0,
        output_field=IntegerField(),
    )


def active_point_rules() -> list[PointRule]:
    """The rules that pay or cost points now, for telling members how points are earned."""
    return list(
        PointRule.objects.filter(is_active=True).exclude(points=0).order_by("-points", "key")
    )


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
    reached = Level.objects.filter(threshold__lte=OuterRef("points")).order_by("-threshold")
    rows = (
        Member.objects.filter(pk__in=member_ids)
        .annotate(points=lifetime_points_expression())
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


@dataclass(frozen=True)
class LeaderboardRow:
    member_id: int
    total: int


@dataclass(frozen=True)
class LeaderboardSlice:
    rows: list[LeaderboardRow]
    has_more: bool


# Candidates read per step of the monthly community board's walk, at least.
WALK_BATCH = 200


def leaderboards_rank_staff() -> bool:
    """Whether the boards rank staff beside members (KIZUNA_LEADERBOARD_INCLUDES_STAFF).

    Off by default: staff answer as part of their job, and ranked beside customers they
    would crowd out the members the boards exist to recognise.
    """
    return bool(settings.KIZUNA_LEADERBOARD_INCLUDES_STAFF)


def _ranked_only(rows: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
    """Rows of members the boards rank: not those who opted out, nor staff unless ranked.

    Two small indexed subqueries rather than one pass over every member.
    """
    opted_out = MemberRecognitionSettings.objects.filter(show_on_leaderboards=False)
    rows = rows.exclude(member_id__in=opted_out.values("member_id"))
    if not leaderboards_rank_staff():
        rows = rows.exclude(member_id__in=Member.objects.filter(staff_role__gt="").values("pk"))
    return rows


def shows_on_leaderboards(member: Member) -> bool:
    """The member's own choice: whether they let leaderboards show them (the default)."""
    return not MemberRecognitionSettings.objects.filter(
        member_id=member.pk, show_on_leaderboards=False
    ).exists()


def appears_on_leaderboards(member: Member) -> bool:
    """Whether boards rank the member: their own choice, and staff only where staff are ranked."""
    return (leaderboards_rank_staff() or not member.staff_role) and shows_on_leaderboards(member)


def leaderboard(
    *,
    viewer: Viewer,
    period: LeaderboardPeriod,
    space: Space | None = None,
    offset: int = 0,
    limit: int = 50,
) -> LeaderboardSlice:
    """`limit` rows after the best `offset`, best first; ties go to the lower member id.

    The all-time community board ranks lifetime points, the figure of the profile and the
    levels, the same for every viewer. A month's board counts awards minus reversals of the
    month in spaces the viewer may see; a space's board those of that space. Members left
    off the boards never appear. Whether more rows follow is known from one extra row, so
    no board is ever counted in full.
    """
    wanted = offset + limit + 1
    if space is not None:
        key = ALL_TIME if period == LeaderboardPeriod.ALL else month_period(timezone.now())
        tallies = (
            _ranked_only(
                LeaderboardTally.objects.filter(period=key, space_id=space.pk, points__gt=0)
            )
            .order_by("-points", "member_id")
            .values_list("member_id", "points")
        )
        rows = [LeaderboardRow(member, total) for member, total in tallies[:wanted]]
    elif period == LeaderboardPeriod.ALL:
        balances = (
            _ranked_only(MemberBalance.objects.filter(lifetime_points__gt=0))
            .order_by("-lifetime_points", "member_id")
            .values_list("member_id", "lifetime_points")
        )
        rows = [LeaderboardRow(member, total) for member, total in balances[:wanted]]
    else:
        rows = _community_board(viewer, month_period(timezone.now()), wanted)
    return LeaderboardSlice(rows[offset : offset + limit], len(rows) > offset + limit)


def _community_board(viewer: Viewer, period: str, wanted: int) -> list[LeaderboardRow]:
    """The best `wanted` rows of a month's community board, by the threshold algorithm.

    Members are read in descending `ceiling`, a bound no viewer's total exceeds; each batch
    loses its tallies in spaces the viewer cannot see. Once `wanted` members are held whose
    totals beat the next unread member's ceiling, nobody further down can overtake them.
    """
    candidates = (
        _ranked_only(LeaderboardTotal.objects.filter(period=period, ceiling__gt=0))
        .order_by("-ceiling", "member_id")
        .values_list("member_id", "points", "ceiling")
    )
    hidden = LeaderboardTally.objects.filter(period=period, space__isnull=False).exclude(
        space_id__in=spaces_with_visible_content(viewer).values("pk")
    )
    batch_size = max(WALK_BATCH, wanted)
    held: list[LeaderboardRow] = []
    read = 0
    while True:
        # One row past the batch: the next unread member, whose ceiling bounds everyone after.
        batch = list(candidates[read : read + batch_size + 1])
        unread = batch[batch_size] if len(batch) > batch_size else None
        batch = batch[:batch_size]
        read += len(batch)
        not_seen = dict(
            hidden.filter(member_id__in=[member for member, _points, _ceiling in batch])
            .values("member_id")
            .annotate(points=Sum("points"))
            .values_list("member_id", "points")
        )
        for member, points, _ceiling in batch:
            total = points - not_seen.get(member, 0)
            if total > 0:
                held.append(LeaderboardRow(member, total))
        held.sort(key=lambda row: (-row.total, row.member_id))
        if unread is None:
            return held[:wanted]
        next_member, _points, next_ceiling = unread
        if len(held) >= wanted and _ranks_before(held[wanted - 1], next_ceiling, next_member):
            return held[:wanted]


def _ranks_before(row: LeaderboardRow, ceiling: int, member_id: int) -> bool:
    """Whether `row` ranks before anyone whose total is at most `ceiling`, read from `member_id` on.

    A later member with that very total comes after `row` only if its id is higher; later
    members of the same ceiling all have higher ids than the next one.
    """
    return row.total > ceiling or (row.total == ceiling and row.member_id < member_id)
