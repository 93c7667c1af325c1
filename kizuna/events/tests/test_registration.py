"""Registering, the waitlist and cancelling, one behaviour each."""

from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.events.models import Attendance, EventFormat, EventStatus, RegistrationStatus, SeatKind
from kizuna.events.selectors import seats_left, upcoming_registrations_of, waitlist_position
from kizuna.events.services import (
    EventError,
    cancel_registration,
    mark_attendance,
    register,
)
from kizuna.events.tests.factories import EventFactory
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_a_member_gets_a_confirmed_seat_while_seats_are_free() -> None:
    event = EventFactory(online_capacity=2)

    registration = register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)

    assert registration.status == RegistrationStatus.CONFIRMED
    assert seats_left(event) == {SeatKind.ONLINE: 1}


def test_the_next_member_goes_on_the_waitlist_when_the_seats_are_taken() -> None:
    event = EventFactory(online_capacity=1)
    register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)

    second = register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)
    third = register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)

    assert second.status == RegistrationStatus.WAITLISTED
    assert (waitlist_position(second), waitlist_position(third)) == (1, 2)


def test_a_hybrid_event_counts_in_person_seats_apart_from_online_seats() -> None:
    event = EventFactory(
        format=EventFormat.HYBRID, online_capacity=5, in_person_capacity=1, venue_name="東京本社"
    )
    register(member=MemberFactory(), event=event, seat=SeatKind.IN_PERSON)

    in_person = register(member=MemberFactory(), event=event, seat=SeatKind.IN_PERSON)
    online = register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)

    assert in_person.status == RegistrationStatus.WAITLISTED
    assert online.status == RegistrationStatus.CONFIRMED


def test_an_online_event_refuses_an_in_person_seat() -> None:
    event = EventFactory(format=EventFormat.ONLINE)

    with pytest.raises(EventError) as error:
        register(member=MemberFactory(), event=event, seat=SeatKind.IN_PERSON)

    assert error.value.code == "wrong_seat"


def test_cancelling_a_confirmed_seat_promotes_the_first_in_line_of_that_seat_kind() -> None:
    event = EventFactory(online_capacity=1)
    holder = MemberFactory()
    register(member=holder, event=event, seat=SeatKind.ONLINE)
    first = register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)
    second = register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)

    cancel_registration(member=holder, event=event)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CONFIRMED
    assert waitlist_position(second) == 1


def test_registering_again_after_cancelling_queues_at_the_end() -> None:
    event = EventFactory(online_capacity=1)
    member = MemberFactory()
    register(member=member, event=event, seat=SeatKind.ONLINE)
    cancel_registration(member=member, event=event)
    register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)

    again = register(member=member, event=event, seat=SeatKind.ONLINE)

    assert again.status == RegistrationStatus.WAITLISTED


def test_registering_twice_keeps_the_first_registration() -> None:
    event = EventFactory()
    member = MemberFactory()
    first = register(member=member, event=event, seat=SeatKind.ONLINE)

    second = register(member=member, event=event, seat=SeatKind.ONLINE)

    assert second.pk == first.pk
    assert Activity.objects.filter(verb=Verb.REGISTERED, actor=member).count() == 1


def test_a_required_question_must_be_answered() -> None:
    event = EventFactory(registration_questions=[{"label": "会社名", "required": True}])

    with pytest.raises(EventError) as error:
        register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE, answers={"0": " "})

    assert error.value.code == "missing_answer"


def test_a_draft_or_finished_event_takes_no_registrations() -> None:
    draft = EventFactory(status=EventStatus.DRAFT)
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )

    for event in (draft, past):
        with pytest.raises(EventError) as error:
            register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)
        assert error.value.code == "not_open"


def test_a_member_who_cannot_read_a_private_space_cannot_register() -> None:
    event = EventFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))

    with pytest.raises(EventError) as error:
        register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)

    assert error.value.code == "not_allowed"


def test_marking_attended_records_the_activity_once() -> None:
    staff = StaffFactory(staff_role="community_manager")
    event = EventFactory()
    member = MemberFactory()
    registration = register(member=member, event=event, seat=SeatKind.ONLINE)

    for attendance in (Attendance.ATTENDED, Attendance.NO_SHOW, Attendance.ATTENDED):
        mark_attendance(
            actor=staff, event=event, registration_id=registration.pk, attendance=attendance
        )

    assert Activity.objects.filter(verb=Verb.ATTENDED, actor=member).count() == 1


def test_a_plain_member_cannot_mark_attendance() -> None:
    event = EventFactory()
    registration = register(member=MemberFactory(), event=event, seat=SeatKind.ONLINE)

    with pytest.raises(EventError) as error:
        mark_attendance(
            actor=MemberFactory(),
            event=event,
            registration_id=registration.pk,
            attendance=Attendance.ATTENDED,
        )

    assert error.value.code == "not_allowed"


def test_the_home_card_lists_only_upcoming_places_not_cancelled_ones() -> None:
    member = MemberFactory()
    kept = EventFactory()
    dropped = EventFactory()
    register(member=member, event=kept, seat=SeatKind.ONLINE)
    register(member=member, event=dropped, seat=SeatKind.ONLINE)
    cancel_registration(member=member, event=dropped)

    assert [r.event_id for r in upcoming_registrations_of(member)] == [kept.pk]
