"""Celery entry points of the plays app; each is safe to run twice."""

from celery import shared_task

from kizuna.plays import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def evaluate_play_rules() -> dict[str, int]:
    """The hourly evaluation: wake snoozed plays, open the plays now due, close resolved ones."""
    result = services.evaluate_plays()
    return {"opened": result.opened, "closed": result.closed, "woken": result.woken}
