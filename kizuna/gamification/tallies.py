"""Leaderboard tallies: each member's awards minus reversals per space, all time and per month.

`add_to_tallies` runs inside `services._append`, after the entry is inserted and while the
member's balance row is locked, so the read-then-write below cannot race another entry
of the same member.
"""

from datetime import datetime

from django.db.models import F, Q
from django.utils import timezone

from kizuna.gamification.models import EntryKind, LeaderboardTally, LedgerEntry

ALL_TIME = "all"
# What the leaderboards count: points earned, minus those taken back; not spends, refunds
# or staff adjustments.
TALLIED_KINDS = (EntryKind.AWARD, EntryKind.REVERSAL)


def month_period(moment: datetime) -> str:
    """The tally period of a moment: its month in the site's time zone."""
    return timezone.localtime(moment).strftime("%Y-%m")


def add_to_tallies(entry: LedgerEntry) -> None:
    """Count one new ledger entry in its member's all-time and monthly tallies."""
    if entry.kind not in TALLIED_KINDS:
        return
    same_space = Q(space__isnull=True) if entry.space_id is None else Q(space_id=entry.space_id)
    for period in (ALL_TIME, month_period(entry.created_at)):
        updated = LeaderboardTally.objects.filter(
            same_space, member_id=entry.member_id, period=period
        ).update(points=F("points") + entry.amount)
        if not updated:
            LeaderboardTally.objects.create(
                member_id=entry.member_id,
                space_id=entry.space_id,
                period=period,
                points=entry.amount,
            )
