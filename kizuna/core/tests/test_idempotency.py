"""The database-backed idempotency key: a repeated write gets the first result back."""

import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from kizuna.core.idempotency import claim_key, earlier_result, record_result
from kizuna.core.models import IdempotencyKey


def _member(email: str = "a@example.com") -> int:
    return int(get_user_model().objects.create_user(email=email).pk)


@pytest.mark.django_db
def test_first_claim_writes_and_a_repeat_gets_its_result() -> None:
    actor_id = _member()
    with transaction.atomic():
        assert claim_key(scope="test.thing", actor_id=actor_id, key="k1") is None
        record_result(scope="test.thing", actor_id=actor_id, key="k1", result_id=42)

    assert earlier_result(scope="test.thing", actor_id=actor_id, key="k1") == 42
    with transaction.atomic():
        assert claim_key(scope="test.thing", actor_id=actor_id, key="k1") == 42
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.django_db
def test_a_key_is_claimed_once_per_scope_and_actor() -> None:
    first, second = _member("a@example.com"), _member("b@example.com")
    with transaction.atomic():
        assert claim_key(scope="test.thing", actor_id=first, key="k1") is None
        assert claim_key(scope="test.other", actor_id=first, key="k1") is None
        assert claim_key(scope="test.thing", actor_id=second, key="k1") is None

    assert IdempotencyKey.objects.count() == 3


@pytest.mark.django_db
def test_a_rolled_back_write_frees_its_key() -> None:
    actor_id = _member()
    with pytest.raises(ValueError), transaction.atomic():
        claim_key(scope="test.thing", actor_id=actor_id, key="k1")
        raise ValueError("the write failed")

    assert earlier_result(scope="test.thing", actor_id=actor_id, key="k1") is None
    with transaction.atomic():
        assert claim_key(scope="test.thing", actor_id=actor_id, key="k1") is None


@pytest.mark.django_db
def test_no_key_means_no_protection() -> None:
    actor_id = _member()
    with transaction.atomic():
        assert claim_key(scope="test.thing", actor_id=actor_id, key="") is None
        assert claim_key(scope="test.thing", actor_id=actor_id, key="") is None

    assert IdempotencyKey.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_claiming_outside_the_writes_transaction_is_refused() -> None:
    actor_id = _member()
    with pytest.raises(RuntimeError):
        claim_key(scope="test.thing", actor_id=actor_id, key="k1")


@pytest.mark.django_db(transaction=True)
def test_a_repeat_while_the_first_is_saving_waits_and_gets_its_result() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the unique index makes a second writer wait on PostgreSQL")
    actor_id = _member()
    claimed = threading.Event()
    seen: list[int | None] = []

    def repeat() -> None:
        claimed.wait()
        with transaction.atomic():
            seen.append(claim_key(scope="test.thing", actor_id=actor_id, key="k1"))
        connection.close()

    other = threading.Thread(target=repeat)
    other.start()
    with transaction.atomic():
        assert claim_key(scope="test.thing", actor_id=actor_id, key="k1") is None
        claimed.set()
        time.sleep(0.3)  # the repeat is now blocked on the unique index
        record_result(scope="test.thing", actor_id=actor_id, key="k1", result_id=7)
    other.join(timeout=10)

    assert seen == [7]
