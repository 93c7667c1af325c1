"""One database-backed idempotency mechanism for every write a person can repeat.

A form's re-post, an API client's retry (and later a webhook's redelivery) sends the same key
again. The write claims `(scope, actor, key)` inside its own transaction, before writing:

- the first request inserts the key, writes, and records the row it created;
- a repeat after that commit finds the key and gets that row back, writing nothing;
- a repeat while the first is still running waits on the unique index until the first
  commits (then it gets the first row) or rolls back (then the key is free and it writes).

No expiry and no cache: the key lives as long as the row it names.
"""

from django.db import IntegrityError, transaction

from kizuna.core.models import IdempotencyKey


def earlier_result(*, scope: str, actor_id: int, key: str) -> int | None:
    """The id of the row a committed earlier request with this key created, if there was one.

    A cheap look before any work; `claim_key` inside the transaction still decides.
    """
    if not key:
        return None
    return (
        IdempotencyKey.objects.filter(scope=scope, actor_id=actor_id, key=key)
        .values_list("result_id", flat=True)
        .first()
    )


def claim_key(*, scope: str, actor_id: int, key: str) -> int | None:
    """Claim the key inside the caller's transaction: None when this request writes, else the
    id of the row the request that claimed it first created. No key, no protection."""
    if not key:
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("claim_key must run inside the write's transaction.")
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(scope=scope, actor_id=actor_id, key=key)
    except IntegrityError:
        return IdempotencyKey.objects.values_list("result_id", flat=True).get(
            scope=scope, actor_id=actor_id, key=key
        )
    return None


def record_result(*, scope: str, actor_id: int, key: str, result_id: int) -> None:
    """Remember the row this request created, in the same transaction as its claim."""
    if key:
        IdempotencyKey.objects.filter(scope=scope, actor_id=actor_id, key=key).update(
            result_id=result_id
        )
