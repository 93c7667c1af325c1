"""Celery entry points of the notifications app; each calls services and is safe to run twice."""

from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.notifications import emails, recognition, services

# An immediate email still unsent after this long was lost with its worker.
EMAIL_SWEEP_AFTER = timedelta(minutes=10)
# Older ones are not worth sending any more.
EMAIL_SWEEP_UNTIL = timedelta(days=2)
SWEEP_BATCH = 1000
FAN_OUT_VERBS = (Verb.POSTED, Verb.ANSWERED, Verb.COMMENTED, Verb.ACCEPTED)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def fan_out_activity(activity_id: int) -> None:
    """Turn one activity (an answer, a mention, an accepted answer …) into notifications."""
    with transaction.atomic():
        notification_ids = services.fan_out_activity(activity_id=activity_id)
        services.queue_notification_emails(notification_ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_notification_email(notification_id: int) -> None:
    """Email one immediate notification, unless it was sent already or may no longer be."""
    emails.send_notification_email(notification_id=notification_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_digest_email(member_id: int) -> None:
    """Email one member's pending daily-digest notifications together."""
    emails.send_digest_email(member_id=member_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_daily_digests() -> None:
    """Daily (08:00 Asia/Tokyo): one digest task per member with pending digest notifications."""
    member_ids = (
        emails.pending_digest_notifications()
        .order_by()
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for member_id in member_ids:
        send_digest_email.delay(member_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def requeue_unsent_notification_emails() -> None:
    """Sweep: re-queue immediate emails, fan-outs and recognition notices that a killed
    worker or web process left undone."""
    now = timezone.now()
    stale = services.pending_immediate_emails().filter(
        created_at__lt=now - EMAIL_SWEEP_AFTER, created_at__gte=now - EMAIL_SWEEP_UNTIL
    )
    for notification_id in stale.order_by("created_at").values_list("pk", flat=True)[:SWEEP_BATCH]:
        send_notification_email.delay(notification_id)
    # Fan-out is idempotent, so the activities of one earlier sweep window run once more.
    window_end = now - EMAIL_SWEEP_AFTER
    activities = Activity.objects.filter(
        verb__in=FAN_OUT_VERBS,
        occurred_at__gte=window_end - EMAIL_SWEEP_AFTER,
        occurred_at__lt=window_end,
    ).values_list("pk", flat=True)
    for activity_id in activities[:SWEEP_BATCH]:
        fan_out_activity.delay(activity_id)
    recognition.notify_missed_recognition(start=window_end - EMAIL_SWEEP_AFTER, end=window_end)
