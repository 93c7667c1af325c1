"""Rewards 0002 moves each redemption's idempotency key into core's IdempotencyKey, so a retry
of a redemption made before the move still gets it back; unapplied, the keys come back."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from kizuna.core.models import IdempotencyKey
from kizuna.identity.tests.factories import MemberFactory
from kizuna.rewards.models import Reward
from kizuna.rewards.services import redeem_reward
from kizuna.rewards.tests.factories import RewardFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("rewards", "0001_reward_and_redemption")]
AFTER = [("rewards", "0002_redemption_keys_in_core_idempotency")]


@pytest.fixture
def executor() -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    yield executor
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _migrate(executor: MigrationExecutor, targets: list[tuple[str, str]]) -> Any:
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_a_key_from_before_the_move_still_returns_its_redemption(
    executor: MigrationExecutor,
) -> None:
    member = MemberFactory()
    reward: Reward = RewardFactory(cost_points=100)
    old = _migrate(executor, BEFORE)
    earlier = old.get_model("rewards", "Redemption").objects.create(
        reward_id=reward.pk,
        member_id=member.pk,
        cost_points=100,
        status="approved",
        idempotency_key="before-the-move",
        spend_key="rewards.redemption:before-the-move",
    )

    new = _migrate(executor, AFTER)
    key = new.get_model("core", "IdempotencyKey").objects.get(key="before-the-move")
    assert (key.scope, key.actor_id, key.result_id) == ("rewards.redemption", member.pk, earlier.pk)
    retried = redeem_reward(member=member, reward=reward, idempotency_key="before-the-move")
    assert retried.pk == earlier.pk

    back = _migrate(executor, BEFORE)
    keys = back.get_model("rewards", "Redemption").objects.values_list("pk", "idempotency_key")
    assert list(keys) == [(earlier.pk, "before-the-move")]
    assert not IdempotencyKey.objects.exists()
