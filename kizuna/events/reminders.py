"""Reminder emails to confirmed registrants, a day and an hour before an event starts.

The beat task (kizuna.events.tasks) asks `due_reminders` every few minutes and queues one
task per registration and kind. `send_reminder` decides again at send time (still confirmed,
the event still on, the member still allowed to see it) and claims the reminder's sent-marker
in the same transaction as the email, so a second beat run, a retried task or two workers
send it once. Times are written in the member's own time zone and language.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from kizuna.events.models import (
    EventReminder,
    EventStatus,
    Registration,
    RegistrationStatus,
    ReminderKind,
    SeatKind,
)
from kizuna.events.permissions import can_see_online_url, can_view_event
from kizuna.identity.models import Member
from kizuna.spaces.permissions import get_space_access

# Each kind goes out when the start is within its window: the day-before one from 24 h to
# 1 h ahead (so a late registrant still gets it), the hour-before one in the last hour.
WINDOWS: dict[ReminderKind, tuple[timedelta, timedelta]] = {
    ReminderKind.DAY_BEFORE: (timedelta(hours=1), timedelta(hours=24)),
    ReminderKind.HOUR_BEFORE: (timedelta(0), timedelta(hours=1)),
}
BATCH = 2000


def due_reminders(now: datetime | None = None) -> list[tuple[int, ReminderKind]]:
    """(registration id, kind) pairs whose reminder is due and not yet sent."""
    now = now or timezone.now()
    due: list[tuple[int, ReminderKind]] = []
    for kind, (nearest, farthest) in WINDOWS.items():
        registrations = (
            Registration.objects.filter(
                status=RegistrationStatus.CONFIRMED,
                member__is_active=True,
                event__status=EventStatus.PUBLISHED,
                event__starts_at__gt=now + nearest,
                event__starts_at__lte=now + farthest,
            )
            .exclude(reminders__kind=kind)
            .order_by("event__starts_at", "pk")
            .values_list("pk", flat=True)[:BATCH]
        )
        due.extend((registration_id, kind) for registration_id in registrations)
    return due


def _member_zone(member: Member) -> ZoneInfo:
    try:
        return ZoneInfo(member.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def local_time(moment: datetime, member: Member) -> str:
    """A moment as the member reads it: their zone, their language's date format, the zone named."""
    zone = _member_zone(member)
    local = timezone.localtime(moment, zone)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({zone.key})"


def _site_url(path: str) -> str:
    return str(settings.KIZUNA_SITE_URL).rstrip("/") + path


def _may_send(registration: Registration, now: datetime) -> bool:
    event, member = registration.event, registration.member
    return (
        registration.status == RegistrationStatus.CONFIRMED
        and event.status == EventStatus.PUBLISHED
        and event.starts_at > now
        and member.is_active
        and can_view_event(member, event, get_space_access(member, event.space))
    )


def _claim(registration: Registration, kind: ReminderKind) -> bool:
    try:
        with transaction.atomic():
            EventReminder.objects.create(registration=registration, kind=kind)
    except IntegrityError:
        return False
    return True


def _message(registration: Registration) -> tuple[str, str]:
    event, member = registration.event, registration.member
    context = {
        "member": member,
        "event": event,
        "community": settings.KIZUNA_COMMUNITY,
        "starts": local_time(event.starts_at, member),
        "ends": local_time(event.ends_at, member),
        "in_person": registration.seat == SeatKind.IN_PERSON,
        "online_url": event.online_url if can_see_online_url(member, registration) else "",
        "event_url": _site_url(reverse("events:event-detail", args=[event.pk])),
        "calendar_url": _site_url(reverse("events:event-calendar", args=[event.pk])),
        "checkin_page_url": _site_url(reverse("events:my-checkin-code", args=[event.pk])),
    }
    subject = render_to_string("events/reminders/reminder_subject.txt", context).strip()
    body = render_to_string("events/reminders/reminder_message.txt", context)
    return " ".join(subject.split()), body


def send_reminder(*, registration_id: int, kind: ReminderKind) -> bool:
    """Email one reminder once; returns whether it went out."""
    now = timezone.now()
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "event__space", "event__space__parent", "member")
            .filter(pk=registration_id)
            .first()
        )
        if registration is None or not _may_send(registration, now):
            return False
        if not _claim(registration, kind):
            return False
        with translation.override(registration.member.language):
            subject, body = _message(registration)
        EmailMessage(subject=subject, body=body, to=[registration.member.email]).send()
    return True
