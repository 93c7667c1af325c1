"""Celery entry points of the events app; each calls a service and is safe to run twice."""

from celery import shared_task

from kizuna.events import reminders
from kizuna.events.models import ReminderKind


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_event_reminder(registration_id: int, kind: str) -> None:
    """Email one registrant's reminder, unless it went out already or is no longer due."""
    reminders.send_reminder(registration_id=registration_id, kind=ReminderKind(kind))


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_due_event_reminders() -> None:
    """Every few minutes (beat): one task per reminder that is due and not yet sent. A task lost
    with its worker is queued again by the next run, as its sent-marker is still missing."""
    for registration_id, kind in reminders.due_reminders():
        send_event_reminder.delay(registration_id, kind.value)
