"""Leaderboard tallies: each member's awards minus reversals per space, all time and per month.

`add_to_tallies` runs inside `services._append`, after the entry is inserted and while the
member's balance row is locked, so the read-then-write below cannot race another entry
of the same member. A monthly tally's member total moves with it; all time, the community
board reads lifetime points instead (`MemberBalance`), so no all-time total is kept.
"""

from datetime import datetime

from django.db.models import F, Q
from django.utils import timezone

from kizuna.gamification.models import EntryKind, LeaderboardTally, LeaderboardTotal, LedgerEntry

ALL_TIME = "all"
# What the month and space boards count: points earned there, minus those taken back; not
# spends, refunds or staff adjustments, which belong to no month's or space's activity.
TALLIED_KINDS = (EntryKind.AWARD, EntryKind.REVERSAL)


def month_period(moment: datetime) -> str:
    """The tally period of a moment: its month in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m")


def add_to_tallies(entry: LedgerEntry) -> None:
    """Count one new ledger entry in its member's all-time and monthly tallies, and month total."""
    if entry.kind not in TALLIED_KINDS:
        return
    same_space = Q(space__isnull=True) if entry.space_id is None else Q(space_id=entry.space_id)
    for period in (ALL_TIME, month_period(entry.created_at)):
        tally = LeaderboardTally.objects.filter(
            same_space, member_id=entry.member_id, period=period
        ).first()
        before = 0 if tally is None else tally.points
        after = before + entry.amount
        if tally is None:
            LeaderboardTally.objects.create(
                member_id=entry.member_id, space_id=entry.space_id, period=period, points=after
            )
        else:
            LeaderboardTally.objects.filter(pk=tally.pk).update(points=after)
        if period != ALL_TIME:
            _add_to_total(entry.member_id, period, entry.amount, max(after, 0) - max(before, 0))


def _add_to_total(member_id: int, period: str, points: int, ceiling: int) -> None:
    updated = LeaderboardTotal.objects.filter(member_id=member_id, period=period).update(
        points=F("points") + points, ceiling=F("ceiling") + ceiling
    )
    if not updated:
        LeaderboardTotal.objects.create(
            member_id=member_id, period=period, points=points, ceiling=ceiling
        )
