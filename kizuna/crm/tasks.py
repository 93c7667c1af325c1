"""Celery entry points of CRM imports; each is safe to run twice (see kizuna.crm.work)."""

from celery import shared_task

from kizuna.crm import work
from kizuna.crm.models import ImportJob


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_import(job_id: int) -> None:
    """Check every row of an uploaded file against the database (the preview)."""
    work.check_job(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_import(job_id: int) -> None:
    """Write a checked file, all or nothing."""
    work.run_job(job_id)


def queue(job_id: int, status: str) -> None:
    """Queue the task a job in this state waits for."""
    if status == ImportJob.Status.CHECKING:
        check_import.delay(job_id)
    elif status == ImportJob.Status.RUNNING:
        run_import.delay(job_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def requeue_stalled_imports() -> int:
    """Every few minutes (beat): queue again the checks and imports a killed worker left."""
    claimed = work.claim_stalled()
    for job_id, status in claimed:
        queue(job_id, status)
    return len(claimed)
