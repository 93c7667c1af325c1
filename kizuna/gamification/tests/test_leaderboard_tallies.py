"""The leaderboard tallies always hold the ledger's sums, and the boards read them right."""

import contextlib
import importlib
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.gamification.models import EntryKind, LeaderboardTally, LeaderboardTotal, LedgerEntry
from kizuna.gamification.selectors import LeaderboardPeriod, LeaderboardRow, leaderboard
from kizuna.gamification.services import (
    AwardContext,
    InsufficientPointsError,
    adjust_points,
    award_points,
    reverse_award,
    spend_points,
)
from kizuna.gamification.tallies import ALL_TIME, month_period
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import Space
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

backfill = importlib.import_module("kizuna.gamification.migrations.0003_leaderboard_tallies")
totals_backfill = importlib.import_module("kizuna.gamification.migrations.0005_leaderboard_totals")
lifetime_board = importlib.import_module(
    "kizuna.gamification.migrations.0006_lifetime_points_board"
)

MEMBERS = 3
# Tokyo is UTC+9: the last of these is still October in UTC but November in the site's zone.
MOMENTS = (
    datetime(2026, 9, 30, 12, 0, tzinfo=UTC),
    datetime(2026, 10, 15, 3, 0, tzinfo=UTC),
    datetime(2026, 10, 31, 16, 0, tzinfo=UTC),
)

award_op = st.tuples(
    st.just("award"),
    st.integers(0, MEMBERS - 1),
    st.sampled_from(["answered", "answer_accepted", "event_spoke"]),
    st.integers(0, 5),
    st.integers(0, len(MOMENTS) - 1),
    st.sampled_from([None, 0, 1]),
)
reverse_op = st.tuples(st.just("reverse"), st.integers(0, 5))
spend_op = st.tuples(st.just("spend"), st.integers(0, MEMBERS - 1), st.integers(1, 30))
adjust_op = st.tuples(st.just("adjust"), st.integers(0, MEMBERS - 1), st.integers(-20, 20))
operations = st.lists(st.one_of(award_op, reverse_op, spend_op, adjust_op), max_size=25)


def _ledger_sums() -> dict[tuple[int, int | None, str], int]:
    """What every tally must hold, summed in Python from the ledger itself."""
    sums: dict[tuple[int, int | None, str], int] = defaultdict(int)
    for entry in LedgerEntry.objects.filter(kind__in=[EntryKind.AWARD, EntryKind.REVERSAL]):
        for period in (ALL_TIME, month_period(entry.created_at)):
            sums[entry.member_id, entry.space_id, period] += entry.amount
    return dict(sums)


def _tallies() -> dict[tuple[int, int | None, str], int]:
    rows = LeaderboardTally.objects.values_list("member_id", "space_id", "period", "points")
    return {(member, space, period): points for member, space, period, points in rows}


def _totals() -> dict[tuple[int, str], tuple[int, int]]:
    rows = LeaderboardTotal.objects.values_list("member_id", "period", "points", "ceiling")
    return {(member, period): (points, ceiling) for member, period, points, ceiling in rows}


def _totals_of_tallies() -> dict[tuple[int, str], tuple[int, int]]:
    """What every total must hold: its member's tallies of the month, and their positive part.

    All time, the community board ranks lifetime points, so no all-time total is kept.
    """
    sums: dict[tuple[int, str], tuple[int, int]] = {}
    for (member, _space, period), points in _tallies().items():
        if period == ALL_TIME:
            continue
        total, ceiling = sums.get((member, period), (0, 0))
        sums[member, period] = (total + points, ceiling + max(points, 0))
    return sums


def _apply(op: tuple[Any, ...], members: list[Member], spaces: list[Space], n: int) -> None:
    # Keys are unique to this example: every example runs in the same test transaction.
    prefix = f"{members[0].pk}:"
    if op[0] == "award":
        _, member, rule_key, key, moment, space = op
        award_points(
            member=members[member],
            rule_key=rule_key,
            source=None,
            idempotency_key=f"{prefix}k{key}",
            occurred_at=MOMENTS[moment],
            context=AwardContext(space_id=None if space is None else spaces[space].pk),
        )
    elif op[0] == "reverse":
        reverse_award(idempotency_key=f"{prefix}k{op[1]}", reason="removed")
    elif op[0] == "spend":
        # A refused spend is part of the sequence.
        with contextlib.suppress(InsufficientPointsError):
            spend_points(
                member=members[op[1]],
                amount=op[2],
                idempotency_key=f"{prefix}s{n}",
                source=members[op[1]],
                reason="reward",
            )
    elif op[2]:
        adjust_points(
            actor=StaffFactory(),
            member=members[op[1]],
            amount=op[2],
            idempotency_key=f"{prefix}a{n}",
            reason="correction",
        )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_tallies_equal_the_ledger_sums_after_any_sequence(ops: list[tuple[Any, ...]]) -> None:
    members = [MemberFactory() for _ in range(MEMBERS)]
    spaces = [SpaceFactory(), SpaceFactory()]
    for n, op in enumerate(ops):
        _apply(op, members, spaces, n)
    assert _tallies() == _ledger_sums()
    assert _totals() == _totals_of_tallies()


def test_spends_refunds_and_adjustments_leave_the_tallies_alone() -> None:
    member = MemberFactory()
    award_points(member=member, rule_key="event_spoke", source=None, idempotency_key="k")
    spend_points(member=member, amount=30, idempotency_key="s", source=member, reason="reward")
    adjust_points(actor=StaffFactory(), member=member, amount=7, idempotency_key="a", reason="x")
    assert set(LeaderboardTally.objects.values_list("period", "points")) == {
        (ALL_TIME, 50),
        (month_period(timezone.now()), 50),
    }


def test_this_months_board_counts_the_local_month_only() -> None:
    member, earlier = MemberFactory(), MemberFactory()
    now = timezone.now()
    award_points(member=member, rule_key="answered", source=None, idempotency_key="now")
    award_points(
        member=earlier,
        rule_key="event_spoke",
        source=None,
        idempotency_key="old",
        occurred_at=now - timedelta(days=40),
    )
    month = leaderboard(viewer=member, period=LeaderboardPeriod.MONTH).rows
    all_time = leaderboard(viewer=member, period=LeaderboardPeriod.ALL).rows
    assert month == [LeaderboardRow(member.pk, 5)]
    assert all_time == [LeaderboardRow(earlier.pk, 50), LeaderboardRow(member.pk, 5)]


def test_the_migration_tallies_entries_written_before_it() -> None:
    members = [MemberFactory(), MemberFactory()]
    space = SpaceFactory()
    for n, moment in enumerate(MOMENTS):
        award_points(
            member=members[n % 2],
            rule_key="answered",
            source=None,
            idempotency_key=f"k{n}",
            occurred_at=moment,
            context=AwardContext(space_id=space.pk if n else None),
        )
    reverse_award(idempotency_key="k1", reason="removed")
    expected = _tallies()
    LeaderboardTally.objects.all().delete()
    backfill.tally_existing_entries(apps, None)
    assert _tallies() == expected == _ledger_sums()
    assert (members[0].pk, space.pk, "2026-11") in expected


def test_the_totals_migration_sums_the_tallies_written_before_it() -> None:
    member = MemberFactory()
    space = SpaceFactory()
    award_points(
        member=member,
        rule_key="event_spoke",
        source=None,
        idempotency_key="old",
        occurred_at=MOMENTS[0],
        context=AwardContext(space_id=space.pk),
    )
    award_points(member=member, rule_key="answered", source=None, idempotency_key="now")
    # Reversed this month, awarded in September: this month's tally in the space is negative.
    reverse_award(idempotency_key="old", reason="removed")
    expected = _totals()
    LeaderboardTotal.objects.all().delete()
    totals_backfill.sum_existing_tallies(apps, SimpleNamespace(connection=connection))
    lifetime_board.drop_all_time_totals(apps, SimpleNamespace(connection=connection))
    assert _totals() == expected == _totals_of_tallies()
    assert expected[member.pk, month_period(timezone.now())] == (5 - 50, 5)
