"""Real threads, each on its own PostgreSQL connection, spending from one balance at once."""

import threading

import pytest
from django.db import connection, connections

from kizuna.gamification.models import EntryKind, LedgerEntry
from kizuna.gamification.selectors import get_balance
from kizuna.gamification.services import InsufficientPointsError, award_points, spend_points
from kizuna.gamification.tests.helpers import assert_balances_match_ledger
from kizuna.identity.tests.factories import MemberFactory


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("english")
def test_twenty_simultaneous_spends_succeed_exactly_as_far_as_the_balance_goes() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    member = MemberFactory()
    for index in range(2):  # 2 × 50 = 100 points
        award_points(
            member=member, rule_key="event_spoke", source=None, idempotency_key=f"e{index}"
        )
    barrier = threading.Barrier(20)
    outcomes: list[str] = []
    lock = threading.Lock()

    def spend(index: int) -> None:
        try:
            barrier.wait()
            spend_points(
                member=member,
                amount=15,
                idempotency_key=f"spend-{index}",
                source=member,
                reason="r",
            )
            result = "ok"
        except InsufficientPointsError as error:
            result = error.messages[0]
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=spend, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 6  # 6 × 15 = 90 ≤ 100 < 105
    refused = [outcome for outcome in outcomes if outcome != "ok"]
    assert len(refused) == 14
    assert all("You need 15 points" in message for message in refused)
    assert get_balance(member) == 10
    assert LedgerEntry.objects.filter(kind=EntryKind.SPEND).count() == 6
    assert_balances_match_ledger()
