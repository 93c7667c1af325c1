"""After the event: one discussion thread, an opt-in connect list, and mutual connect requests."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from kizuna.content.models import Post, PostType
from kizuna.events import connections
from kizuna.events.access import get_event_access
from kizuna.events.followup_models import ConnectionStatus
from kizuna.events.models import Attendance, Event
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _past_event() -> Event:
    starts = timezone.now() - timedelta(days=1)
    return EventFactory(
        starts_at=starts, ends_at=starts + timedelta(hours=2), created_by=StaffFactory()
    )


def _attendee(event: Event, *, listed: bool = True) -> Member:
    member = RegistrationFactory(event=event, attendance=Attendance.ATTENDED).member
    if listed:
        connections.set_opt_in(member=member, event=event, listed=True)
    return member


def test_the_discussion_thread_is_written_once_and_linked_from_the_event() -> None:
    event = _past_event()
    first = connections.open_discussion(access=get_event_access(MemberFactory(), event))
    event.refresh_from_db()
    again = connections.open_discussion(access=get_event_access(MemberFactory(), event))

    assert first == again == event.discussion_post
    assert (first.post_type, first.author, first.space) == (
        PostType.DISCUSSION,
        event.created_by,
        event.space,
    )
    assert Post.objects.count() == 1


def test_members_cannot_open_the_thread_before_the_event_starts() -> None:
    event = EventFactory(created_by=StaffFactory())
    with pytest.raises(PermissionDenied):
        connections.open_discussion(access=get_event_access(MemberFactory(), event))
    assert connections.open_discussion(access=get_event_access(StaffFactory(), event))


def test_only_attendees_join_the_connect_list() -> None:
    event = _past_event()
    no_show = RegistrationFactory(event=event, attendance=Attendance.NO_SHOW).member
    with pytest.raises(ValidationError):
        connections.set_opt_in(member=no_show, event=event, listed=True)


def test_the_list_shows_the_other_listed_attendees_only_to_listed_attendees() -> None:
    event = _past_event()
    me, other = _attendee(event), _attendee(event)
    shy = _attendee(event, listed=False)
    _attendee(_past_event())  # another event's list

    assert [row.member for row in connections.connect_list(viewer=me, event=event)] == [other]
    assert not connections.connect_list(viewer=shy, event=event).exists()


def test_a_connection_needs_the_other_side_to_accept() -> None:
    event = _past_event()
    me, other = _attendee(event), _attendee(event)
    request = connections.request_connection(member=me, event=event, other_id=other.pk)
    assert request.status == ConnectionStatus.PENDING
    assert not connections.connections_of(me, event).exists()

    connections.answer_connection(member=other, request_id=request.pk, accept=True)

    assert list(connections.connections_of(me, event)) == [request]
    assert list(connections.connections_of(other, event)) == [request]


def test_only_the_recipient_answers_and_a_decline_connects_nobody() -> None:
    event = _past_event()
    me, other = _attendee(event), _attendee(event)
    request = connections.request_connection(member=me, event=event, other_id=other.pk)
    with pytest.raises(ValidationError):
        connections.answer_connection(member=me, request_id=request.pk, accept=True)

    connections.answer_connection(member=other, request_id=request.pk, accept=False)

    assert not connections.connections_of(me, event).exists()


def test_asking_someone_who_already_asked_you_connects_you_both() -> None:
    event = _past_event()
    me, other = _attendee(event), _attendee(event)
    theirs = connections.request_connection(member=other, event=event, other_id=me.pk)

    mine = connections.request_connection(member=me, event=event, other_id=other.pk)

    assert mine == theirs
    assert list(connections.connections_of(me, event)) == [theirs]


def test_you_cannot_ask_someone_who_is_not_on_the_list() -> None:
    event = _past_event()
    me, shy = _attendee(event), _attendee(event, listed=False)
    with pytest.raises(ValidationError):
        connections.request_connection(member=me, event=event, other_id=shy.pk)
