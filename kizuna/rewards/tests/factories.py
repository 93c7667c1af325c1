import uuid

import factory

from kizuna.gamification.services import adjust_points
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory
from kizuna.rewards.models import Reward, RewardKind


class RewardFactory(factory.django.DjangoModelFactory[Reward]):
    class Meta:
        model = Reward

    name = factory.Sequence(lambda n: f"コーヒーチケット{n}")
    kind = RewardKind.COFFEE_VOUCHER
    cost_points = 100
    stock = 10


def give_points(member: Member, amount: int, *, actor: Member | None = None) -> None:
    """Seed a balance through the ledger, as a staff adjustment."""
    adjust_points(
        actor=actor or StaffFactory(),
        member=member,
        amount=amount,
        idempotency_key=f"test-seed:{uuid.uuid4().hex}",
        reason="test seed",
    )
