"""Property tests: any sequence of ledger operations, replays included, keeps the books exact."""

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kizuna.gamification.models import LedgerEntry, MemberBalance, PointRule
from kizuna.gamification.selectors import get_balance
from kizuna.gamification.services import (
    InsufficientPointsError,
    award_points,
    refund_points,
    reverse_award,
    spend_points,
)
from kizuna.gamification.tests.helpers import assert_balances_match_ledger
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

MEMBERS = 3
KEYS = 6

award_op = st.tuples(
    st.just("award"),
    st.integers(0, MEMBERS - 1),
    st.sampled_from(["answered", "answer_accepted", "like_received"]),
    st.integers(0, KEYS - 1),
)
reverse_op = st.tuples(st.just("reverse"), st.integers(0, KEYS - 1))
spend_op = st.tuples(
    st.just("spend"), st.integers(0, MEMBERS - 1), st.integers(1, 40), st.integers(0, KEYS - 1)
)
refund_op = st.tuples(st.just("refund"), st.integers(0, KEYS - 1), st.integers(0, KEYS - 1))
replay_op = st.tuples(st.just("replay"), st.integers(0, 1000))
operations = st.lists(st.one_of(award_op, reverse_op, spend_op, refund_op, replay_op), max_size=30)


def _snapshot() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    entries = list(LedgerEntry.objects.order_by("pk").values_list("pk", "member_id", "amount"))
    balances = list(MemberBalance.objects.order_by("member_id").values_list("member_id", "balance"))
    return entries, balances


def _apply(op: tuple[Any, ...], members: list[Member]) -> None:
    kind = op[0]
    if kind == "award":
        _, member_index, rule_key, key = op
        award_points(
            member=members[member_index], rule_key=rule_key, source=None, idempotency_key=f"a{key}"
        )
    elif kind == "reverse":
        reverse_award(idempotency_key=f"a{op[1]}", reason="removed")
    elif kind == "spend":
        _, member_index, amount, key = op
        member = members[member_index]
        before = get_balance(member)
        already = LedgerEntry.objects.filter(idempotency_key=f"s{key}").exists()
        try:
            spend_points(
                member=member, amount=amount, idempotency_key=f"s{key}", source=member, reason="r"
            )
        except InsufficientPointsError:
            assert before < amount and not already
        except ValidationError:
            assert already  # the key belongs to another member's spend
        else:
            assert already or before >= amount
            assert get_balance(member) >= 0 or already
    elif kind == "refund":
        try:
            refund_points(spend_key=f"s{op[1]}", idempotency_key=f"r{op[1]}-{op[2]}", reason="r")
        except ValidationError:
            assert not LedgerEntry.objects.filter(idempotency_key=f"s{op[1]}").exists()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=operations)
def test_any_sequence_keeps_balances_equal_to_the_ledger_and_replays_change_nothing(
    ops: list[tuple[Any, ...]],
) -> None:
    PointRule.objects.update(daily_cap=None)
    with transaction.atomic():
        members = [MemberFactory(verified=False) for _ in range(MEMBERS)]
        done: list[tuple[Any, ...]] = []
        for op in ops:
            if op[0] == "replay":
                if not done:
                    continue
                earlier = done[op[1] % len(done)]
                before = _snapshot()
                _apply(earlier, members)
                assert _snapshot() == before
                continue
            count = LedgerEntry.objects.count()
            _apply(op, members)
            # Only events that happened (wrote an entry) are replayed: a refused spend may
            # rightly succeed later, once the member has the points.
            if LedgerEntry.objects.count() > count:
                done.append(op)
            assert_balances_match_ledger()
        # Replaying the whole history once more changes nothing either.
        before = _snapshot()
        for op in done:
            _apply(op, members)
        assert _snapshot() == before
        transaction.set_rollback(True)
