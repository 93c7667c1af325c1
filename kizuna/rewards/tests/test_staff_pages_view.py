import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.core.models import AuditEntry
from kizuna.gamification.selectors import get_balance
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.rewards.models import Redemption, RedemptionStatus, Reward
from kizuna.rewards.services import redeem_reward
from kizuna.rewards.tests.factories import RewardFactory, give_points

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
MANAGE = reverse("rewards:manage")
QUEUE = reverse("rewards:queue")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def manager(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="community_manager")
    client.force_login(staff)
    return staff


def _requested(member: Member | None = None, **reward_fields: object) -> Redemption:
    member = member or MemberFactory()
    give_points(member, 500)
    reward: Reward = RewardFactory(requires_approval=True, **reward_fields)
    return redeem_reward(member=member, reward=reward, idempotency_key=f"q{member.pk}-{reward.pk}")


@pytest.mark.parametrize("role", ["moderator", "csm"])
def test_staff_without_the_capability_are_refused(client: Client, role: str) -> None:
    client.force_login(StaffFactory(staff_role=role))
    assert client.get(MANAGE).status_code == 403
    assert client.get(QUEUE).status_code == 403


def test_members_are_refused(client: Client) -> None:
    client.force_login(MemberFactory())
    assert client.get(MANAGE).status_code == 403


def test_creates_and_edits_a_reward_with_an_audit_trail(client: Client, manager: Member) -> None:
    response = client.post(
        reverse("rewards:reward-create"),
        {
            "name": "プレミアム席",
            "kind": "premium_event_seat",
            "cost_points": "500",
            "stock": "20",
            "per_member_limit": "1",
            "requires_approval": "on",
            "is_active": "on",
        },
    )
    assert response["Location"] == MANAGE
    reward = Reward.objects.get()
    assert (reward.cost_points, reward.stock, reward.per_member_limit) == (500, 20, 1)
    assert reward.requires_approval
    response = client.post(
        reverse("rewards:reward-edit", args=[reward.pk]),
        {"name": "プレミアム席", "kind": "premium_event_seat", "cost_points": "450", "stock": ""},
    )
    reward.refresh_from_db()
    assert (reward.cost_points, reward.stock, reward.is_active) == (450, None, False)
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "rewards.reward_created",
        "rewards.reward_updated",
    ]


def test_refuses_a_reward_costing_nothing(client: Client, manager: Member) -> None:
    response = client.post(
        reverse("rewards:reward-create"), {"name": "x", "kind": "other", "cost_points": "0"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["cost_points"]
    assert not Reward.objects.exists()


@pytest.mark.parametrize("field", ["cost_points", "stock", "per_member_limit"])
def test_refuses_a_number_past_what_the_catalog_holds(
    client: Client, manager: Member, field: str
) -> None:
    fields = {"name": "x", "kind": "other", "cost_points": "100", field: "99999999999999999999"}
    response = client.post(reverse("rewards:reward-create"), fields)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Reward.objects.exists()


def test_queue_shows_requests_by_default_and_filters(client: Client, manager: Member) -> None:
    waiting = _requested()
    approved = _requested()
    Redemption.objects.filter(pk=approved.pk).update(status=RedemptionStatus.APPROVED)
    assert list(client.get(QUEUE).context["page"]) == [waiting]
    assert list(client.get(QUEUE, {"status": "approved"}).context["page"]) == [approved]
    assert len(client.get(QUEUE, {"status": ""}).context["page"]) == 2
    by_reward = client.get(QUEUE, {"status": "", "reward": str(approved.reward_id)})
    assert list(by_reward.context["page"]) == [approved]


def test_queue_empty_state_and_fragment(client: Client, manager: Member) -> None:
    response = client.get(QUEUE, **HTMX)
    html = response.content.decode()
    assert "No redemptions match." in html
    assert "<html" not in html


def test_queue_queries_do_not_grow_with_rows(
    client: Client, manager: Member, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    _requested()
    client.get(QUEUE, **HTMX)
    for _ in range(5):
        _requested()
    # session, member, TOTP check, count, page (rewards, members and deciders joined)
    with django_assert_num_queries(5):
        response = client.get(QUEUE, **HTMX)
    assert len(response.context["page"]) == 6


def test_reject_from_the_queue_refunds(client: Client, manager: Member) -> None:
    redemption = _requested(cost_points=200, stock=3)
    response = client.post(
        reverse("rewards:decide", args=[redemption.pk, "reject"]),
        {"text": "対象外です", "query": "status=requested"},
    )
    assert response["Location"] == f"{QUEUE}?status=requested"
    redemption.refresh_from_db()
    assert (redemption.status, redemption.reason) == (RedemptionStatus.REJECTED, "対象外です")
    assert get_balance(redemption.member) == 500
    redemption.reward.refresh_from_db()
    assert redemption.reward.stock == 3


def test_approve_and_fulfil_from_the_queue_with_htmx(client: Client, manager: Member) -> None:
    redemption = _requested()
    response = client.post(
        reverse("rewards:decide", args=[redemption.pk, "approve"]),
        {"text": ""},
        **HTMX,
    )
    assert (response.status_code, response["HX-Redirect"]) == (204, QUEUE)
    client.post(reverse("rewards:decide", args=[redemption.pk, "fulfil"]), {"text": "送付済み"})
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.FULFILLED
    assert redemption.fulfilment_note == "送付済み"


def test_reject_without_a_reason_changes_nothing(client: Client, manager: Member) -> None:
    redemption = _requested(cost_points=100)
    client.post(reverse("rewards:decide", args=[redemption.pk, "reject"]), {"text": ""})
    redemption.refresh_from_db()
    assert redemption.status == RedemptionStatus.REQUESTED
    assert get_balance(redemption.member) == 400


def test_unknown_decision_is_not_found(client: Client, manager: Member) -> None:
    redemption = _requested()
    assert client.post(reverse("rewards:decide", args=[redemption.pk, "pay"])).status_code == 404
