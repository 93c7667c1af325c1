"""Celery entry points of gamification; each calls services and is safe to run twice."""

from celery import shared_task
from django.utils import timezone

from kizuna.gamification import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def award_for_activity(activity_id: int) -> None:
    """Pay the points one activity earns (keys derive from the activity and beneficiary)."""
    services.award_for_activity(activity_id=activity_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def award_pending_activities() -> None:
    """Periodic sweep: award every activity past the high-water mark, in id order."""
    while services.award_pending_activities() == services.SWEEP_BATCH:
        pass


@shared_task(acks_late=True, reject_on_worker_lost=True)
def reverse_stale_awards() -> None:
    """Periodic sweep: reverse awards whose content was removed or like withdrawn."""
    since = timezone.now() - services.STALE_AWARD_WINDOW
    after = services.reverse_stale_awards(since=since)
    while after:
        after = services.reverse_stale_awards(after_entry_id=after, since=since)
