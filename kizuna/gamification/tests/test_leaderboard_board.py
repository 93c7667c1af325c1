"""The boards equal a brute-force ranking of the ledger itself, for viewers who see different
spaces, page by page: all time community-wide, lifetime points for everyone; a month or a
space, what was earned there in spaces the viewer sees."""

from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.gamification import selectors
from kizuna.gamification.models import EARNING_KINDS, EntryKind, LedgerEntry
from kizuna.gamification.selectors import LeaderboardPeriod, LeaderboardRow, leaderboard
from kizuna.gamification.services import (
    AwardContext,
    adjust_points,
    award_points,
    reverse_award,
    set_leaderboard_visibility,
)
from kizuna.gamification.tallies import month_period
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.permissions import spaces_with_visible_content
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MEMBERS = 6
PAST = datetime(2020, 1, 15, tzinfo=UTC)
RULES = ("answered", "answer_accepted", "event_spoke")

award_op = st.tuples(
    st.just("award"),
    st.integers(0, MEMBERS - 1),
    st.sampled_from(RULES),
    st.integers(0, 9),
    st.booleans(),
    st.sampled_from([None, 0, 1]),
)
reverse_op = st.tuples(st.just("reverse"), st.integers(0, 9))
opt_out_op = st.tuples(st.just("opt_out"), st.integers(0, MEMBERS - 1))
adjust_op = st.tuples(st.just("adjust"), st.integers(0, MEMBERS - 1), st.integers(-60, 60))
operations = st.lists(st.one_of(award_op, award_op, reverse_op, opt_out_op, adjust_op), max_size=30)


def _brute_force(
    viewer: Any, period: LeaderboardPeriod, space: Space | None
) -> list[LeaderboardRow]:
    """The board summed in Python from every ledger entry."""
    visible = set(spaces_with_visible_content(viewer).values_list("pk", flat=True))
    this_month = month_period(timezone.now())
    hidden = set(
        Member.objects.filter(recognition_settings__show_on_leaderboards=False).values_list(
            "pk", flat=True
        )
    ) | set(Member.objects.exclude(staff_role="").values_list("pk", flat=True))
    lifetime = space is None and period == LeaderboardPeriod.ALL
    kinds = EARNING_KINDS if lifetime else (EntryKind.AWARD, EntryKind.REVERSAL)
    totals: dict[int, int] = {}
    for entry in LedgerEntry.objects.filter(kind__in=kinds):
        if period == LeaderboardPeriod.MONTH and month_period(entry.created_at) != this_month:
            continue
        counts = (
            entry.space_id == space.pk
            if space is not None
            else (lifetime or entry.space_id is None or entry.space_id in visible)
        )
        if counts and entry.member_id not in hidden:
            totals[entry.member_id] = totals.get(entry.member_id, 0) + entry.amount
    ranked = sorted((-total, member) for member, total in totals.items() if total > 0)
    return [LeaderboardRow(member, -negated) for negated, member in ranked]


def _paged(viewer: Any, period: LeaderboardPeriod, space: Space | None) -> list[LeaderboardRow]:
    """Every page of two rows, concatenated; each page says whether another follows."""
    rows: list[LeaderboardRow] = []
    while True:
        page = leaderboard(viewer=viewer, period=period, space=space, offset=len(rows), limit=2)
        rows += page.rows
        if not page.has_more:
            return rows
        assert len(page.rows) == 2


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_every_board_equals_the_brute_force_ranking_for_every_viewer(
    ops: list[tuple[Any, ...]], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Batches of two make the walk stop early, go on past a batch and read to the end.
    monkeypatch.setattr(selectors, "WALK_BATCH", 2)
    # The last earner is staff, whom the boards leave off.
    members = [MemberFactory() for _ in range(MEMBERS - 1)] + [StaffFactory(staff_role="csm")]
    spaces = [SpaceFactory(), SpaceFactory(access_type=AccessType.APPLICATION)]
    manager = StaffFactory(staff_role="community_manager")
    insider = MemberFactory()
    MembershipFactory(space=spaces[1], member=insider)
    viewers = [AnonymousUser(), MemberFactory(), insider, manager]
    prefix = f"{members[0].pk}:"
    for n, op in enumerate(ops):
        if op[0] == "award":
            _, member, rule_key, key, now, space = op
            award_points(
                member=members[member],
                rule_key=rule_key,
                source=None,
                idempotency_key=f"{prefix}k{key}",
                occurred_at=None if now else PAST,
                context=AwardContext(space_id=None if space is None else spaces[space].pk),
            )
        elif op[0] == "reverse":
            reverse_award(idempotency_key=f"{prefix}k{op[1]}", reason="removed")
        elif op[0] == "adjust":
            _, member, amount = op
            if amount:
                adjust_points(
                    actor=manager,
                    member=members[member],
                    amount=amount,
                    idempotency_key=f"{prefix}a{n}",
                    reason="migrated credit",
                )
        else:
            set_leaderboard_visibility(member=members[op[1]], show=False)
    for viewer in viewers:
        for period in LeaderboardPeriod:
            community = _brute_force(viewer, period, None)
            whole = leaderboard(viewer=viewer, period=period, limit=100)
            assert whole.rows == community and not whole.has_more
            assert _paged(viewer, period, None) == community
            for space in spaces_with_visible_content(viewer).filter(pk__in=[s.pk for s in spaces]):
                assert _paged(viewer, period, space) == _brute_force(viewer, period, space)


def _award(
    member: Member, key: str, space: Space | None = None, rule_key: str = "event_spoke"
) -> None:
    award_points(
        member=member,
        rule_key=rule_key,
        source=None,
        idempotency_key=key,
        context=AwardContext(space_id=None if space is None else space.pk),
    )


def test_a_months_board_leaves_out_private_points_the_all_time_board_shows_the_lifetime() -> None:
    secret = SpaceFactory(access_type=AccessType.APPLICATION)
    mostly_private, open_only = MemberFactory(), MemberFactory()
    insider = MemberFactory()
    MembershipFactory(space=secret, member=insider)
    for n in range(3):
        _award(mostly_private, f"p{n}", secret)
    _award(mostly_private, "o", rule_key="answered")
    _award(open_only, "q")
    outsider = MemberFactory()

    outsider_month = leaderboard(viewer=outsider, period=LeaderboardPeriod.MONTH).rows
    insider_month = leaderboard(viewer=insider, period=LeaderboardPeriod.MONTH).rows
    outsider_all = leaderboard(viewer=outsider, period=LeaderboardPeriod.ALL).rows
    insider_all = leaderboard(viewer=insider, period=LeaderboardPeriod.ALL).rows

    assert outsider_month == [
        LeaderboardRow(open_only.pk, 50),
        LeaderboardRow(mostly_private.pk, 5),
    ]
    assert insider_month == [
        LeaderboardRow(mostly_private.pk, 155),
        LeaderboardRow(open_only.pk, 50),
    ]
    assert (
        outsider_all
        == insider_all
        == [LeaderboardRow(mostly_private.pk, 155), LeaderboardRow(open_only.pk, 50)]
    )


def test_the_all_time_board_counts_adjusted_credit_and_leaves_out_staff(
    settings: Any,
) -> None:
    migrated, active = MemberFactory(), MemberFactory()
    staff = StaffFactory(staff_role="csm")
    _award(active, "a")
    _award(staff, "s")
    _award(staff, "s2", rule_key="answer_accepted")
    adjust_points(
        actor=StaffFactory(), member=migrated, amount=300, idempotency_key="m", reason="migrated"
    )
    viewer = MemberFactory()

    all_time = leaderboard(viewer=viewer, period=LeaderboardPeriod.ALL).rows
    month = leaderboard(viewer=viewer, period=LeaderboardPeriod.MONTH).rows

    assert all_time == [LeaderboardRow(migrated.pk, 300), LeaderboardRow(active.pk, 50)]
    assert month == [LeaderboardRow(active.pk, 50)]
    settings.KIZUNA_LEADERBOARD_INCLUDES_STAFF = True
    ranked = leaderboard(viewer=viewer, period=LeaderboardPeriod.ALL).rows
    assert [row.member_id for row in ranked] == [migrated.pk, staff.pk, active.pk]


def test_ties_go_to_the_lower_member_id_across_pages() -> None:
    tied = sorted((MemberFactory() for _ in range(5)), key=lambda member: member.pk)
    for n, member in enumerate(reversed(tied)):
        _award(member, f"t{n}")
    viewer = MemberFactory()

    first = leaderboard(viewer=viewer, period=LeaderboardPeriod.ALL, limit=3)
    second = leaderboard(viewer=viewer, period=LeaderboardPeriod.ALL, offset=3, limit=3)

    assert [row.member_id for row in first.rows + second.rows] == [m.pk for m in tied]
    assert first.has_more and not second.has_more
