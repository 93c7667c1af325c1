import pytest

from kizuna.core.models import IdempotencyKey
from kizuna.gamification.models import LedgerEntry
from kizuna.gamification.selectors import get_balance
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.rewards.models import Redemption, RedemptionStatus, Reward
from kizuna.rewards.services import RewardError, redeem_reward
from kizuna.rewards.tests.factories import RewardFactory, give_points

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def member() -> Member:
    member: Member = MemberFactory()
    give_points(member, 300)
    return member


def _spends(member: Member) -> int:
    return LedgerEntry.objects.filter(member=member, kind="spend").count()


def test_redeems_debits_points_takes_stock_and_is_approved_without_approval(
    member: Member,
) -> None:
    reward: Reward = RewardFactory(cost_points=120, stock=3)
    redemption = redeem_reward(member=member, reward=reward, idempotency_key="k1")
    reward.refresh_from_db()
    assert redemption.status == RedemptionStatus.APPROVED
    assert redemption.cost_points == 120
    assert reward.stock == 2
    assert get_balance(member) == 180
    entry = LedgerEntry.objects.get(idempotency_key=redemption.spend_key)
    assert (entry.amount, entry.kind, entry.source_id) == (-120, "spend", redemption.pk)


def test_redemption_waits_for_approval_when_the_reward_requires_it(member: Member) -> None:
    reward: Reward = RewardFactory(requires_approval=True)
    redemption = redeem_reward(member=member, reward=reward, idempotency_key="k1")
    assert redemption.status == RedemptionStatus.REQUESTED
    assert get_balance(member) == 200


def test_unlimited_stock_stays_unlimited(member: Member) -> None:
    reward: Reward = RewardFactory(stock=None)
    redeem_reward(member=member, reward=reward, idempotency_key="k1")
    reward.refresh_from_db()
    assert reward.stock is None


def test_replaying_the_key_returns_the_same_redemption_and_pays_once(member: Member) -> None:
    reward: Reward = RewardFactory(stock=5)
    first = redeem_reward(member=member, reward=reward, idempotency_key="same")
    again = redeem_reward(member=member, reward=reward, idempotency_key="same")
    reward.refresh_from_db()
    assert again.pk == first.pk
    assert Redemption.objects.count() == 1
    assert _spends(member) == 1
    assert get_balance(member) == 200
    assert reward.stock == 4


def test_a_retry_with_the_key_returns_the_first_redemption_after_the_reward_is_gone(
    member: Member,
) -> None:
    reward: Reward = RewardFactory(cost_points=100, stock=1)
    first = redeem_reward(member=member, reward=reward, idempotency_key="retry")
    Reward.objects.filter(pk=reward.pk).update(is_active=False)

    again = redeem_reward(member=member, reward=reward, idempotency_key="retry")

    assert again.pk == first.pk
    assert _spends(member) == 1
    claimed = IdempotencyKey.objects.get(scope="rewards.redemption", key="retry")
    assert (claimed.actor_id, claimed.result_id) == (member.pk, first.pk)


def test_a_refused_redemption_leaves_its_key_free_for_a_retry(member: Member) -> None:
    reward: Reward = RewardFactory(cost_points=400)
    with pytest.raises(RewardError):
        redeem_reward(member=member, reward=reward, idempotency_key="later")
    give_points(member, 100)

    redemption = redeem_reward(member=member, reward=reward, idempotency_key="later")

    assert redemption.status == RedemptionStatus.APPROVED
    assert get_balance(member) == 0


def test_another_members_key_is_refused(member: Member) -> None:
    reward: Reward = RewardFactory()
    redeem_reward(member=member, reward=reward, idempotency_key="mine")
    other: Member = MemberFactory()
    give_points(other, 500)
    with pytest.raises(RewardError) as caught:
        redeem_reward(member=other, reward=reward, idempotency_key="mine")
    assert caught.value.code == "invalid_key"
    assert get_balance(other) == 500


def _assert_nothing_changed(member: Member, reward: Reward, *, stock: int | None) -> None:
    reward.refresh_from_db()
    assert reward.stock == stock
    assert get_balance(member) == 300
    assert _spends(member) == 0
    assert not Redemption.objects.filter(member=member).exists()


def test_rejects_redemption_when_out_of_stock(member: Member) -> None:
    reward: Reward = RewardFactory(stock=0)
    with pytest.raises(RewardError) as caught:
        redeem_reward(member=member, reward=reward, idempotency_key="k1")
    assert caught.value.code == "out_of_stock"
    _assert_nothing_changed(member, reward, stock=0)


def test_rejects_redemption_of_an_inactive_reward(member: Member) -> None:
    reward: Reward = RewardFactory(is_active=False, stock=4)
    with pytest.raises(RewardError) as caught:
        redeem_reward(member=member, reward=reward, idempotency_key="k1")
    assert caught.value.code == "inactive"
    _assert_nothing_changed(member, reward, stock=4)


def test_rejects_redemption_over_balance(member: Member) -> None:
    reward: Reward = RewardFactory(cost_points=301, stock=4)
    with pytest.raises(RewardError) as caught:
        redeem_reward(member=member, reward=reward, idempotency_key="k1")
    assert caught.value.code == "insufficient_points"
    assert caught.value.messages == ["You need 301 points but have 300."]
    _assert_nothing_changed(member, reward, stock=4)


def test_rejects_redemption_past_the_per_member_limit(member: Member) -> None:
    reward: Reward = RewardFactory(cost_points=50, stock=9, per_member_limit=2)
    redeem_reward(member=member, reward=reward, idempotency_key="k1")
    redeem_reward(member=member, reward=reward, idempotency_key="k2")
    with pytest.raises(RewardError) as caught:
        redeem_reward(member=member, reward=reward, idempotency_key="k3")
    assert caught.value.code == "limit_reached"
    reward.refresh_from_db()
    assert reward.stock == 7
    assert get_balance(member) == 200
    assert Redemption.objects.filter(member=member).count() == 2


def test_rejected_and_cancelled_redemptions_do_not_count_towards_the_limit(
    member: Member,
) -> None:
    reward: Reward = RewardFactory(cost_points=50, per_member_limit=1)
    first = redeem_reward(member=member, reward=reward, idempotency_key="k1")
    Redemption.objects.filter(pk=first.pk).update(status=RedemptionStatus.REJECTED)
    second = redeem_reward(member=member, reward=reward, idempotency_key="k2")
    assert second.status == RedemptionStatus.APPROVED


def test_a_later_price_change_keeps_the_redemption_price(member: Member) -> None:
    reward: Reward = RewardFactory(cost_points=100)
    redemption = redeem_reward(member=member, reward=reward, idempotency_key="k1")
    Reward.objects.filter(pk=reward.pk).update(cost_points=999)
    redemption.refresh_from_db()
    assert redemption.cost_points == 100
