"""Reminder emails a day and an hour before an event: once each, to confirmed registrants, in
each member's own time zone and language."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core import mail
from django.utils import formats, timezone, translation

from kizuna.events import tasks
from kizuna.events.models import EventReminder, EventStatus, RegistrationStatus, ReminderKind
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db

ONLINE_URL = "https://meet.example.com/reminder-room"


def _run_beat() -> None:
    """What beat does: the sweep task, whose per-reminder tasks run eagerly here."""
    tasks.send_due_event_reminders.apply()


def _written_as(moment: datetime, zone: str, language: str) -> str:
    with translation.override(language):
        local = timezone.localtime(moment, ZoneInfo(zone))
        return formats.date_format(local, "DATETIME_FORMAT")


def test_settings_schedule_the_reminder_sweep() -> None:
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert "kizuna.events.tasks.send_due_event_reminders" in scheduled


def test_a_day_before_the_member_gets_one_reminder_in_their_zone_and_language() -> None:
    member = MemberFactory(language="en", time_zone="America/New_York")
    event = EventFactory(
        starts_at=timezone.now() + timedelta(hours=23), online_url=ONLINE_URL, title="Kaizen Night"
    )
    registration = RegistrationFactory(event=event, member=member)

    _run_beat()

    (message,) = mail.outbox
    assert message.to == [member.email]
    assert "Kaizen Night" in message.subject
    new_york = _written_as(event.starts_at, "America/New_York", "en")
    assert new_york in message.body
    assert "America/New_York" in message.body
    assert _written_as(event.starts_at, "Asia/Tokyo", "en") not in message.body
    assert ONLINE_URL in message.body
    assert EventReminder.objects.filter(
        registration=registration, kind=ReminderKind.DAY_BEFORE
    ).exists()


def test_a_japanese_member_reads_the_time_the_japanese_way() -> None:
    member = MemberFactory(language="ja", time_zone="Asia/Tokyo")
    event = EventFactory(starts_at=timezone.now() + timedelta(hours=20))
    RegistrationFactory(event=event, member=member)

    _run_beat()

    (message,) = mail.outbox
    tokyo = _written_as(event.starts_at, "Asia/Tokyo", "ja")
    assert "年" in tokyo
    assert tokyo in message.subject
    assert tokyo in message.body


def test_a_second_run_sends_nothing() -> None:
    RegistrationFactory(event__starts_at=timezone.now() + timedelta(hours=23))
    _run_beat()

    _run_beat()

    assert len(mail.outbox) == 1


def test_an_hour_before_comes_the_second_reminder_and_only_once() -> None:
    registration = RegistrationFactory(event__starts_at=timezone.now() + timedelta(minutes=50))
    EventReminder.objects.create(registration=registration, kind=ReminderKind.DAY_BEFORE)

    _run_beat()
    _run_beat()

    assert len(mail.outbox) == 1
    assert set(registration.reminders.values_list("kind", flat=True)) == {
        ReminderKind.DAY_BEFORE,
        ReminderKind.HOUR_BEFORE,
    }


def test_nobody_is_reminded_too_early_or_after_the_start() -> None:
    RegistrationFactory(event__starts_at=timezone.now() + timedelta(hours=30))
    RegistrationFactory(
        event__starts_at=timezone.now() - timedelta(minutes=10),
        event__ends_at=timezone.now() + timedelta(hours=1),
    )

    _run_beat()

    assert mail.outbox == []


@pytest.mark.parametrize(
    "status", [RegistrationStatus.WAITLISTED, RegistrationStatus.CANCELLED], ids=str
)
def test_only_confirmed_registrants_are_reminded(status: str) -> None:
    RegistrationFactory(status=status, event__starts_at=timezone.now() + timedelta(hours=5))

    _run_beat()

    assert mail.outbox == []


def test_a_cancelled_event_sends_no_reminder() -> None:
    RegistrationFactory(
        event__status=EventStatus.CANCELLED, event__starts_at=timezone.now() + timedelta(hours=5)
    )

    _run_beat()

    assert mail.outbox == []


def test_a_member_who_lost_access_to_the_space_is_not_reminded() -> None:
    RegistrationFactory(
        event__space=SpaceFactory(access_type=AccessType.APPLICATION),
        event__starts_at=timezone.now() + timedelta(hours=5),
    )

    _run_beat()

    assert mail.outbox == []


def test_a_retried_task_does_not_send_twice() -> None:
    registration = RegistrationFactory(event__starts_at=timezone.now() + timedelta(hours=5))

    tasks.send_event_reminder.apply(args=[registration.pk, ReminderKind.DAY_BEFORE.value])
    tasks.send_event_reminder.apply(args=[registration.pk, ReminderKind.DAY_BEFORE.value])

    assert len(mail.outbox) == 1
