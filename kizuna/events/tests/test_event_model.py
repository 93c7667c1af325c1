import pytest

from kizuna.events.models import EventFormat, SeatKind
from kizuna.events.tests.factories import EventFactory


@pytest.mark.django_db
def test_a_hybrid_event_offers_both_seat_kinds_with_their_own_capacity() -> None:
    event = EventFactory(format=EventFormat.HYBRID, online_capacity=30, in_person_capacity=10)

    assert event.seat_kinds == (SeatKind.ONLINE, SeatKind.IN_PERSON)
    assert event.capacity_of(SeatKind.IN_PERSON) == 10


@pytest.mark.django_db
def test_an_online_event_has_no_in_person_seats() -> None:
    event = EventFactory(format=EventFormat.ONLINE, online_capacity=30, in_person_capacity=10)

    assert event.capacity_of(SeatKind.IN_PERSON) == 0
