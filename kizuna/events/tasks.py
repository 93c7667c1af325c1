"""Celery entry points of the events app; each calls a service and is safe to run twice."""

from datetime import datetime

from celery import shared_task

from kizuna.events import notices, reminders
from kizuna.events.models import Event, NoticeKind, ReminderKind


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


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_event_notice(registration_id: int, kind: str, about: str) -> None:
    """Email a registrant that the waitlist gave them a seat or the event was cancelled; `about`
    (ISO 8601) is the moment of that promotion or cancellation, so each is told once."""
    notices.send_notice(
        registration_id=registration_id,
        kind=NoticeKind(kind),
        about=datetime.fromisoformat(about),
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_event_cancelled_notices(event_id: int) -> None:
    """One notice task per registrant of a cancelled event not yet told; run again, it queues
    only those a lost task left out."""
    event = Event.objects.filter(pk=event_id).only("cancelled_at").first()
    if event is None or event.cancelled_at is None:
        return
    for registration_id in notices.cancellation_recipients(event_id):
        send_event_notice.delay(
            registration_id, NoticeKind.CANCELLED.value, event.cancelled_at.isoformat()
        )
