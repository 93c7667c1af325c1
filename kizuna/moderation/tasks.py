from celery import shared_task

from kizuna.moderation import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def sweep_unqueued_holds() -> int:
    """Queue held content nobody queued and follow authors' resubmissions (periodic, idempotent)."""
    return services.sweep_unqueued_holds()
