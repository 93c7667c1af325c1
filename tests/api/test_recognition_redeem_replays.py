"""The same redemption never pays twice: across the page and the API, and under a race.

Real threads on their own PostgreSQL connections send one Idempotency-Key at once; the page's
confirm token and the API's key are the same idempotency key of `redeem_reward`.
"""

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from kizuna.customers.tests.factories import make_customer
from kizuna.gamification.models import EntryKind, LedgerEntry
from kizuna.gamification.selectors import get_balance
from kizuna.gamification.services import award_points
from kizuna.identity.models import Member
from kizuna.rewards.models import Redemption
from kizuna.rewards.services import redeem_reward
from kizuna.rewards.tests.factories import RewardFactory, give_points
from tests.api.conftest import ApiClient
from tests.api.forum_fixtures import count_queries


def _redeem(client: Client, reward_id: int, key: str) -> Any:
    return client.post(
        f"/api/rewards/{reward_id}/redeem",
        "{}",
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


@pytest.mark.django_db
def test_a_redemption_made_on_the_page_is_returned_by_the_api_with_its_token() -> None:
    member = make_customer()
    give_points(member, 300)
    reward = RewardFactory(cost_points=100)
    client = Client()
    client.force_login(member)

    page = client.post(reverse("rewards:redeem", args=[reward.pk]), {"token": "page-token-1"})
    api = _redeem(client, reward.pk, "page-token-1")

    assert page.status_code == 302
    assert api.status_code == 200
    assert api.json()["id"] == Redemption.objects.get().pk
    assert LedgerEntry.objects.filter(member=member, kind=EntryKind.SPEND).count() == 1
    assert get_balance(member) == 200


@pytest.mark.django_db
def test_a_retried_redeem_gets_the_first_redemption_though_the_last_unit_is_gone() -> None:
    member = make_customer()
    give_points(member, 300)
    reward = RewardFactory(cost_points=100, stock=1)
    client = Client()
    client.force_login(member)

    first = _redeem(client, reward.pk, "retry-after-timeout")
    retried = _redeem(client, reward.pk, "retry-after-timeout")

    assert (first.status_code, retried.status_code) == (201, 200)
    assert retried.json() == first.json()
    assert Redemption.objects.count() == 1
    assert get_balance(member) == 200


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_with_one_key_make_one_redemption() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    member = make_customer()
    give_points(member, 1000)
    reward = RewardFactory(cost_points=100, stock=20)
    signed_in = Client()
    signed_in.force_login(member)
    session_cookie = signed_in.cookies
    senders = 8
    barrier = threading.Barrier(senders)
    outcomes: list[tuple[int, int | None]] = []
    lock = threading.Lock()

    def send() -> None:
        client = Client()
        client.cookies = session_cookie
        try:
            barrier.wait()
            response = _redeem(client, reward.pk, "one-click")
            outcome = (response.status_code, response.json().get("id"))
        finally:
            connections.close_all()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    redemption = Redemption.objects.get()
    assert len(outcomes) == senders
    assert {status for status, _ in outcomes} <= {200, 201}
    assert {redemption_id for _, redemption_id in outcomes} == {redemption.pk}
    assert LedgerEntry.objects.filter(member=member, kind=EntryKind.SPEND).count() == 1
    assert get_balance(member) == 900
    reward.refresh_from_db()
    assert reward.stock == 19


@pytest.mark.django_db
def test_redemption_and_balance_lists_cost_the_same_queries_for_more_rows(
    staff_client: ApiClient, django_assert_num_queries: Any
) -> None:
    def add_redeeming_member(index: int) -> Member:
        member: Member = make_customer()
        give_points(member, 100)
        award_points(
            member=member, rule_key="event_spoke", source=None, idempotency_key=f"s{index}"
        )
        redeem_reward(member=member, reward=reward, idempotency_key=f"count-{index}")
        return member

    reward = RewardFactory(cost_points=10, stock=None)
    add_redeeming_member(0)
    lists: list[Callable[[], Any]] = [
        lambda: staff_client.get("/api/redemptions"),
        lambda: staff_client.get("/api/recognition/balances"),
        lambda: staff_client.get("/api/recognition/leaderboard"),
    ]
    baselines = [count_queries(call) for call in lists]
    for index in range(1, 6):
        add_redeeming_member(index)

    for call, baseline in zip(lists, baselines, strict=True):
        with django_assert_num_queries(baseline):
            response = call()
        assert len(response.json()["items"]) >= 6
