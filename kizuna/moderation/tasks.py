from celery import shared_task

from kizuna.moderation import holds


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_unqueued_holds() -> int:
    """Queue held content nobody queued (periodic, idempotent)."""
    return holds.sweep_unqueued_holds()
