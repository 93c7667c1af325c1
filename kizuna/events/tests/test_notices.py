"""Emails a registrant gets for changes they did not make: promoted from the waitlist, the event
cancelled. Once each, in the member's own language and time zone."""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import formats, timezone, translation

from kizuna.events import tasks
from kizuna.events.models import EventNotice, NoticeKind, RegistrationStatus, SeatKind
from kizuna.events.services import cancel_event, cancel_registration, register
from kizuna.events.tests.factories import EventFactory
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _written_in(moment: Any, zone: str, language: str) -> str:
    with translation.override(language):
        return str(
            formats.date_format(timezone.localtime(moment, ZoneInfo(zone)), "DATETIME_FORMAT")
        )


def test_the_first_in_line_is_emailed_when_a_seat_frees_in_their_zone_and_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(online_capacity=1, title="Expense policy workshop")
    holder, waiting = MemberFactory(), MemberFactory(language="en", time_zone="Europe/London")
    register(member=holder, event=event, seat=SeatKind.ONLINE)
    register(member=waiting, event=event, seat=SeatKind.ONLINE)

    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(member=holder, event=event)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [waiting.email]
    assert message.subject == "Your seat is confirmed: Expense policy workshop"
    assert _written_in(event.starts_at, "Europe/London", "en") in message.body
    assert "(Europe/London)" in message.body
    assert event.online_url in message.body


def test_a_promotion_is_emailed_once_however_often_its_task_runs(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(online_capacity=1)
    holder, waiting = MemberFactory(), MemberFactory()
    register(member=holder, event=event, seat=SeatKind.ONLINE)
    promoted = register(member=waiting, event=event, seat=SeatKind.ONLINE)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_registration(member=holder, event=event)
    promoted.refresh_from_db()
    assert promoted.confirmed_at is not None

    for _ in range(2):
        tasks.send_event_notice.apply(
            args=(promoted.pk, NoticeKind.PROMOTED.value, promoted.confirmed_at.isoformat())
        )

    assert len(mail.outbox) == 1
    assert EventNotice.objects.filter(registration=promoted).count() == 1


def test_no_promotion_email_once_the_promoted_member_gave_the_seat_up(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(online_capacity=1)
    holder, waiting = MemberFactory(), MemberFactory()
    register(member=holder, event=event, seat=SeatKind.ONLINE)
    register(member=waiting, event=event, seat=SeatKind.ONLINE)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        cancel_registration(member=holder, event=event)
    cancel_registration(member=waiting, event=event)

    for callback in queued:
        callback()

    assert mail.outbox == []


def test_every_registrant_of_a_cancelled_event_is_told_once_in_their_language(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = StaffFactory(staff_role="community_manager")
    event = EventFactory(online_capacity=1, title="締め処理の勉強会")
    seated = MemberFactory(language="ja", time_zone="Asia/Tokyo")
    waiting = MemberFactory(language="en", time_zone="America/New_York")
    gone = MemberFactory()
    register(member=seated, event=event, seat=SeatKind.ONLINE)
    register(member=waiting, event=event, seat=SeatKind.ONLINE)
    register(member=gone, event=event, seat=SeatKind.ONLINE)
    cancel_registration(member=gone, event=event)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(actor=staff, event=event)
    # A second run of the fan-out (a redelivered task) tells nobody twice.
    tasks.send_event_cancelled_notices.apply(args=(event.pk,))

    by_address = {str(message.to[0]): message for message in mail.outbox}
    assert set(by_address) == {str(seated.email), str(waiting.email)}
    assert by_address[str(waiting.email)].subject == "Cancelled: 締め処理の勉強会"
    assert (
        _written_in(event.starts_at, "America/New_York", "en")
        in by_address[str(waiting.email)].body
    )
    assert _written_in(event.starts_at, "Asia/Tokyo", "ja") in by_address[str(seated.email)].body


def test_no_cancellation_email_for_an_event_that_already_took_place(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = StaffFactory(staff_role="community_manager")
    event = EventFactory()
    register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)
    event.starts_at = timezone.now() - timedelta(hours=3)
    event.ends_at = timezone.now() - timedelta(hours=1)
    event.save(update_fields=["starts_at", "ends_at"])
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        cancel_event(actor=staff, event=event)

    assert mail.outbox == []
    assert event.registrations.get().status == RegistrationStatus.CONFIRMED
