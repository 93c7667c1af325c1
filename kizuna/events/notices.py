"""Emails about a change to someone's registration that they did not make themselves: a seat
freed and the waitlist promoted them, or the organisers cancelled the event.

The services queue these on commit (kizuna.events.tasks); each task decides again at send
time (still confirmed since that promotion, the event still cancelled, not yet started, the
member still active) and claims the notice's marker in the same transaction as the email, so
a retried task or two workers send it once. Written in the member's language and time zone.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from kizuna.events.models import (
    EventNotice,
    EventStatus,
    NoticeKind,
    Registration,
    RegistrationStatus,
    SeatKind,
)
from kizuna.events.permissions import can_see_online_url, can_view_event
from kizuna.events.reminders import local_time
from kizuna.spaces.permissions import get_space_access

TEMPLATES = {
    NoticeKind.PROMOTED: "events/notices/promoted",
    NoticeKind.CANCELLED: "events/notices/cancelled",
}


def _still_true(registration: Registration, kind: NoticeKind, about: datetime) -> bool:
    event, member = registration.event, registration.member
    if not member.is_active or event.starts_at <= timezone.now():
        return False
    if kind == NoticeKind.PROMOTED:
        return (
            registration.status == RegistrationStatus.CONFIRMED
            and registration.confirmed_at == about
            and event.status == EventStatus.PUBLISHED
            and can_view_event(member, event, get_space_access(member, event.space))
        )
    return (
        event.status == EventStatus.CANCELLED
        and event.cancelled_at == about
        and registration.status != RegistrationStatus.CANCELLED
    )


def _claim(registration: Registration, kind: NoticeKind, about: datetime) -> bool:
    try:
        with transaction.atomic():
            EventNotice.objects.create(registration=registration, kind=kind, about=about)
    except IntegrityError:
        return False
    return True


def _site_url(path: str) -> str:
    return str(settings.KIZUNA_SITE_URL).rstrip("/") + path


def _message(registration: Registration, kind: NoticeKind) -> tuple[str, str]:
    event, member = registration.event, registration.member
    context = {
        "member": member,
        "event": event,
        "community": settings.KIZUNA_COMMUNITY,
        "starts": local_time(event.starts_at, member),
        "in_person": registration.seat == SeatKind.IN_PERSON,
        "online_url": event.online_url if can_see_online_url(member, registration) else "",
        "event_url": _site_url(reverse("events:event-detail", args=[event.pk])),
        "calendar_url": _site_url(reverse("events:event-calendar", args=[event.pk])),
    }
    subject = render_to_string(f"{TEMPLATES[kind]}_subject.txt", context)
    body = render_to_string(f"{TEMPLATES[kind]}_message.txt", context)
    return " ".join(subject.split()), body


def send_notice(*, registration_id: int, kind: NoticeKind, about: datetime) -> bool:
    """Email one notice once; returns whether it went out."""
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("event", "event__space", "event__space__parent", "member")
            .filter(pk=registration_id)
            .first()
        )
        if registration is None or not _still_true(registration, kind, about):
            return False
        if not _claim(registration, kind, about):
            return False
        with translation.override(registration.member.language):
            subject, body = _message(registration, kind)
        EmailMessage(subject=subject, body=body, to=[registration.member.email]).send()
    return True


def cancellation_recipients(event_id: int) -> list[int]:
    """The registrations (seat or waitlist place) of a cancelled event still to be told."""
    return list(
        Registration.objects.filter(event_id=event_id, event__status=EventStatus.CANCELLED)
        .exclude(status=RegistrationStatus.CANCELLED)
        .exclude(notices__kind=NoticeKind.CANCELLED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
