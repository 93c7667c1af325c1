import pytest
from django.core.exceptions import PermissionDenied

from kizuna.core.models import AuditEntry
from kizuna.gamification.models import LedgerEntry
from kizuna.gamification.selectors import get_balance
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.rewards.models import Redemption, RedemptionStatus, Reward
from kizuna.rewards.services import (
    RewardError,
    approve_redemption,
    cancel_redemption,
    fulfil_redemption,
    redeem_reward,
    reject_redemption,
)
from kizuna.rewards.tests.factories import RewardFactory, give_points

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def manager() -> Member:
    staff: Member = StaffFactory(staff_role="community_manager")
    return staff


@pytest.fixture
def member() -> Member:
    member: Member = MemberFactory()
    give_points(member, 300)
    return member


@pytest.fixture
def reward() -> Reward:
    reward: Reward = RewardFactory(cost_points=100, stock=5, requires_approval=True)
    return reward


@pytest.fixture
def requested(member: Member, reward: Reward) -> Redemption:
    return redeem_reward(member=member, reward=reward, idempotency_key="k1")


def _stock(reward: Reward) -> int | None:
    reward.refresh_from_db()
    return reward.stock


def test_approve_then_fulfil(manager: Member, requested: Redemption, member: Member) -> None:
    approved = approve_redemption(actor=manager, redemption=requested)
    assert (approved.status, approved.decided_by) == (RedemptionStatus.APPROVED, manager)
    fulfilled = fulfil_redemption(actor=manager, redemption=requested, note="郵送しました")
    assert fulfilled.status == RedemptionStatus.FULFILLED
    assert fulfilled.fulfilment_note == "郵送しました"
    assert get_balance(member) == 200
    assert list(
        AuditEntry.objects.filter(target_type="rewards.redemption").values_list("action", flat=True)
    ) == ["rewards.redemption_fulfilled", "rewards.redemption_approved"]


def test_reject_refunds_points_and_restores_stock(
    manager: Member, requested: Redemption, member: Member, reward: Reward
) -> None:
    assert (get_balance(member), _stock(reward)) == (200, 4)
    rejected = reject_redemption(actor=manager, redemption=requested, reason="在庫の誤り")
    assert rejected.status == RedemptionStatus.REJECTED
    assert rejected.reason == "在庫の誤り"
    assert (get_balance(member), _stock(reward)) == (300, 5)
    refund = LedgerEntry.objects.get(member=member, kind="refund")
    assert refund.amount == 100
    audit = AuditEntry.objects.get(action="rewards.redemption_rejected")
    assert (audit.actor, audit.reason) == (manager, "在庫の誤り")


def test_rejecting_an_approved_redemption_also_refunds(
    manager: Member, member: Member, reward: Reward
) -> None:
    Reward.objects.filter(pk=reward.pk).update(requires_approval=False)
    redemption = redeem_reward(member=member, reward=reward, idempotency_key="k9")
    reject_redemption(actor=manager, redemption=redemption, reason="配送不可")
    assert (get_balance(member), _stock(reward)) == (300, 5)


def test_rejecting_twice_refunds_once(
    manager: Member, requested: Redemption, member: Member, reward: Reward
) -> None:
    reject_redemption(actor=manager, redemption=requested, reason="x")
    with pytest.raises(RewardError) as caught:
        reject_redemption(actor=manager, redemption=requested, reason="x")
    assert caught.value.code == "not_allowed"
    assert (get_balance(member), _stock(reward)) == (300, 5)
    assert LedgerEntry.objects.filter(member=member, kind="refund").count() == 1


def test_reject_needs_a_reason(manager: Member, requested: Redemption, member: Member) -> None:
    with pytest.raises(RewardError) as caught:
        reject_redemption(actor=manager, redemption=requested, reason="  ")
    assert caught.value.code == "reason_required"
    requested.refresh_from_db()
    assert requested.status == RedemptionStatus.REQUESTED
    assert get_balance(member) == 200


def test_fulfil_needs_approval_first(manager: Member, requested: Redemption) -> None:
    with pytest.raises(RewardError):
        fulfil_redemption(actor=manager, redemption=requested)
    requested.refresh_from_db()
    assert requested.status == RedemptionStatus.REQUESTED


def test_staff_without_the_capability_cannot_decide(requested: Redemption) -> None:
    moderator: Member = StaffFactory(staff_role="moderator")
    with pytest.raises(PermissionDenied):
        approve_redemption(actor=moderator, redemption=requested)
    requested.refresh_from_db()
    assert requested.status == RedemptionStatus.REQUESTED
    assert not AuditEntry.objects.filter(target_type="rewards.redemption").exists()


def test_member_cancels_a_requested_redemption_and_gets_everything_back(
    requested: Redemption, member: Member, reward: Reward
) -> None:
    cancelled = cancel_redemption(member=member, redemption=requested)
    assert cancelled.status == RedemptionStatus.CANCELLED
    assert (get_balance(member), _stock(reward)) == (300, 5)


def test_member_cannot_cancel_once_approved(
    manager: Member, requested: Redemption, member: Member, reward: Reward
) -> None:
    approve_redemption(actor=manager, redemption=requested)
    with pytest.raises(RewardError):
        cancel_redemption(member=member, redemption=requested)
    assert (get_balance(member), _stock(reward)) == (200, 4)


def test_nobody_else_cancels_a_members_redemption(requested: Redemption, member: Member) -> None:
    with pytest.raises(PermissionDenied):
        cancel_redemption(member=MemberFactory(), redemption=requested)
    requested.refresh_from_db()
    assert requested.status == RedemptionStatus.REQUESTED
