"""Celery entry points of the badges app; each is safe to run twice."""

from celery import shared_task

from kizuna.badges import services
from kizuna.identity.models import Member

SWEEP_BATCH = 500


@shared_task(acks_late=True, reject_on_worker_lost=True)
def evaluate_badges(member_id: int) -> int:
    """Award the automatic badges one member has earned; returns how many were new."""
    member = Member.objects.filter(pk=member_id, is_active=True).first()
    if member is None:
        return 0
    return len(services.evaluate_badges_for(member=member))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def evaluate_all_badges() -> int:
    """The periodic sweep: evaluate every active member, in id order and in batches."""
    awarded = 0
    last_id = 0
    while True:
        batch = list(
            Member.objects.filter(is_active=True, pk__gt=last_id)
            .order_by("pk")
            .prefetch_related("interests")[:SWEEP_BATCH]
        )
        if not batch:
            return awarded
        for member in batch:
            awarded += len(services.evaluate_badges_for(member=member))
        last_id = batch[-1].pk
