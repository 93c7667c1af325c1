import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.gamification.selectors import get_balance
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.rewards.models import Redemption, RedemptionStatus, Reward
from kizuna.rewards.tests.factories import RewardFactory, give_points

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
CATALOG = reverse("rewards:catalog")
MINE = reverse("rewards:mine")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def member(client: Client) -> Member:
    member: Member = MemberFactory()
    give_points(member, 250)
    client.force_login(member)
    return member


def test_catalog_asks_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(CATALOG)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_catalog_lists_active_rewards_with_cost_stock_and_balance(
    client: Client, member: Member
) -> None:
    RewardFactory(name="コーヒー", cost_points=100, stock=3)
    RewardFactory(name="Tシャツ", cost_points=200, stock=None)
    RewardFactory(name="隠し", is_active=False)
    response = client.get(CATALOG)
    assert response.status_code == 200
    assert [reward.name for reward in response.context["page"]] == ["コーヒー", "Tシャツ"]
    html = response.content.decode()
    assert "Your balance: <strong>250</strong> points" in html
    assert "3 left" in html
    assert "Unlimited" in html
    assert "隠し" not in html


def test_catalog_shows_an_empty_state(client: Client, member: Member) -> None:
    response = client.get(CATALOG)
    assert "No rewards are offered right now." in response.content.decode()


def test_catalog_htmx_returns_the_fragment(client: Client, member: Member) -> None:
    RewardFactory(name="コーヒー")
    response = client.get(CATALOG, **HTMX)
    html = response.content.decode()
    assert "コーヒー" in html
    assert "<html" not in html


def test_catalog_queries_do_not_grow_with_rewards(
    client: Client, member: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    RewardFactory.create_batch(3)
    client.get(CATALOG)
    RewardFactory.create_batch(10)
    with django_assert_num_queries(5):
        response = client.get(CATALOG)
    assert len(response.context["page"]) == 13


def _confirm_token(client: Client, reward: Reward) -> str:
    response = client.get(reverse("rewards:redeem", args=[reward.pk]))
    assert response.status_code == 200
    token: str = response.context["form"].initial["token"]
    return token


def test_double_submitting_the_confirm_form_redeems_once(client: Client, member: Member) -> None:
    reward: Reward = RewardFactory(cost_points=100, stock=4)
    token = _confirm_token(client, reward)
    url = reverse("rewards:redeem", args=[reward.pk])
    first = client.post(url, {"token": token})
    second = client.post(url, {"token": token})
    assert (first.status_code, first["Location"]) == (302, MINE)
    assert (second.status_code, second["Location"]) == (302, MINE)
    assert Redemption.objects.filter(member=member).count() == 1
    assert get_balance(member) == 150
    reward.refresh_from_db()
    assert reward.stock == 3


def test_redeem_with_htmx_answers_with_hx_redirect(client: Client, member: Member) -> None:
    reward: Reward = RewardFactory()
    token = _confirm_token(client, reward)
    response = client.post(
        reverse("rewards:redeem", args=[reward.pk]),
        {"token": token},
        **HTMX,
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == MINE


def test_redeem_over_balance_shows_the_reason_and_changes_nothing(
    client: Client, member: Member
) -> None:
    reward: Reward = RewardFactory(cost_points=400, stock=2)
    for headers in ({}, HTMX):
        response = client.post(
            reverse("rewards:redeem", args=[reward.pk]),
            {"token": f"t-{len(headers)}"},
            **headers,
        )
        assert response.status_code == 409
        assert "You need 400 points but have 250." in response.content.decode()
        assert ("<html" in response.content.decode()) is not bool(headers)
    assert get_balance(member) == 250
    assert not Redemption.objects.exists()
    reward.refresh_from_db()
    assert reward.stock == 2


def test_my_redemptions_lists_only_mine_and_lets_me_cancel_a_request(
    client: Client, member: Member
) -> None:
    reward: Reward = RewardFactory(cost_points=100, requires_approval=True, stock=5)
    client.post(reverse("rewards:redeem", args=[reward.pk]), {"token": "a"})
    other: Member = MemberFactory()
    give_points(other, 500)
    Redemption.objects.create(reward=reward, member=other, cost_points=100, spend_key="o")
    response = client.get(MINE)
    assert [r.member for r in response.context["page"]] == [member]
    mine = Redemption.objects.get(member=member)
    response = client.post(reverse("rewards:cancel", args=[mine.pk]))
    assert response["Location"] == MINE
    mine.refresh_from_db()
    assert mine.status == RedemptionStatus.CANCELLED
    assert get_balance(member) == 250


def test_my_redemptions_empty_state_and_query_count(
    client: Client, member: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    assert "You have not redeemed any rewards yet." in client.get(MINE).content.decode()
    for index in range(3):
        Redemption.objects.create(
            reward=RewardFactory(),
            member=member,
            cost_points=100,
            spend_key=f"s{index}",
        )
    # session, member, count, page (with its rewards joined)
    with django_assert_num_queries(4):
        response = client.get(MINE, **HTMX)
    assert len(response.context["page"]) == 3
