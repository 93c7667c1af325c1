"""Real threads on separate PostgreSQL connections race for stock and for one balance."""

import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection

from kizuna.gamification.models import LedgerEntry, MemberBalance
from kizuna.gamification.selectors import get_balance
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.rewards.models import Redemption, Reward
from kizuna.rewards.services import RewardError, redeem_reward
from kizuna.rewards.tests.factories import RewardFactory, give_points

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("english")]


def _race(calls: list[Callable[[], object]]) -> list[str]:
    """Run every call at once, each in its own thread and connection; return each outcome."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = [""] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait()
            call()
            outcomes[index] = "ok"
        except RewardError as error:
            outcomes[index] = str(error.code)
        except Exception as error:  # any other failure must show in the assertion
            outcomes[index] = f"crash: {error!r}"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_fifty_members_race_for_the_last_ten_units() -> None:
    staff: Member = StaffFactory()
    reward: Reward = RewardFactory(cost_points=100, stock=10)
    members: list[Member] = [MemberFactory() for _ in range(50)]
    for member in members:
        give_points(member, 250, actor=staff)

    def redeem(member: Member) -> Callable[[], object]:
        return lambda: redeem_reward(member=member, reward=reward, idempotency_key=f"m{member.pk}")

    outcomes = _race([redeem(member) for member in members])

    assert Counter(outcomes) == {"ok": 10, "out_of_stock": 40}
    reward.refresh_from_db()
    assert reward.stock == 0
    winners = {m.pk for m, outcome in zip(members, outcomes, strict=True) if outcome == "ok"}
    assert set(Redemption.objects.values_list("member_id", flat=True)) == winners
    for member, outcome in zip(members, outcomes, strict=True):
        expected = 150 if outcome == "ok" else 250
        assert get_balance(member) == expected
        spends = LedgerEntry.objects.filter(member=member, kind="spend").count()
        assert spends == (1 if outcome == "ok" else 0)


def test_one_member_fires_twenty_redemptions_over_their_balance() -> None:
    member: Member = MemberFactory()
    give_points(member, 730)  # affords 7 redemptions at 100
    reward: Reward = RewardFactory(cost_points=100, stock=None)

    def redeem(index: int) -> Callable[[], object]:
        return lambda: redeem_reward(member=member, reward=reward, idempotency_key=f"burst-{index}")

    outcomes = _race([redeem(index) for index in range(20)])

    assert Counter(outcomes) == {"ok": 7, "insufficient_points": 13}
    assert get_balance(member) == 30
    assert MemberBalance.objects.get(member=member).balance == sum(
        LedgerEntry.objects.filter(member=member).values_list("amount", flat=True)
    )
    assert Redemption.objects.filter(member=member).count() == 7
    assert LedgerEntry.objects.filter(member=member, kind="spend").count() == 7


def test_the_same_key_fired_twenty_times_at_once_redeems_once() -> None:
    member: Member = MemberFactory()
    give_points(member, 1000)
    reward: Reward = RewardFactory(cost_points=100, stock=5)

    outcomes = _race(
        [lambda: redeem_reward(member=member, reward=reward, idempotency_key="dup")] * 20
    )

    assert Counter(outcomes) == {"ok": 20}
    reward.refresh_from_db()
    assert reward.stock == 4
    assert get_balance(member) == 900
    assert Redemption.objects.count() == 1
