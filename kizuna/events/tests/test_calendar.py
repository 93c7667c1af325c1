"""iCalendar files and feeds: they parse, carry UID / DTSTAMP / time zones, and never hold an
event (or an online link) their reader may not see."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from kizuna.events import calendar
from kizuna.events.access import access_event
from kizuna.events.models import EventFormat, EventStatus, RegistrationStatus, SeatKind
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db

ONLINE_URL = "https://meet.example.com/secret-room"


def _events(body: bytes) -> dict[str, dict[str, object]]:
    parsed = Calendar.from_ical(body)
    return {str(entry["UID"]): entry for entry in parsed.walk("VEVENT")}


def _uids(body: bytes) -> set[str]:
    return set(_events(body))


def test_an_event_file_parses_with_uid_stamp_and_its_time_zone() -> None:
    event = EventFactory(
        format=EventFormat.HYBRID,
        in_person_capacity=20,
        venue_name="東京本社 セミナールーム",
        venue_address="東京都千代田区丸の内1-1-1",
        time_zone="Asia/Tokyo",
    )

    body = calendar.event_file(access_event(AnonymousUser(), event.pk))

    parsed = Calendar.from_ical(body)
    (entry,) = parsed.walk("VEVENT")
    assert str(entry["UID"]) == calendar.event_uid(event)
    assert entry.get("DTSTAMP") is not None
    assert entry["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert entry.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert entry.decoded("DTEND") == event.ends_at.replace(microsecond=0)
    assert str(entry["SUMMARY"]) == event.title
    assert "東京本社" in str(entry["LOCATION"])
    assert [str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE")] == ["Asia/Tokyo"]
    assert str(entry["URL"]).endswith(reverse("events:public-event", args=[event.pk]))


def test_the_uid_stays_the_same_across_edits() -> None:
    event = EventFactory()
    before = _uids(calendar.event_file(access_event(AnonymousUser(), event.pk)))

    event.title = "改題しました"
    event.save()

    assert _uids(calendar.event_file(access_event(AnonymousUser(), event.pk))) == before


def test_only_a_confirmed_registrant_gets_the_online_link_in_the_file() -> None:
    event = EventFactory(online_url=ONLINE_URL)
    confirmed = RegistrationFactory(event=event).member
    waitlisted = RegistrationFactory(event=event, status=RegistrationStatus.WAITLISTED).member

    assert ONLINE_URL in calendar.event_file(access_event(confirmed, event.pk)).decode()
    assert ONLINE_URL not in calendar.event_file(access_event(waitlisted, event.pk)).decode()
    assert ONLINE_URL not in calendar.event_file(access_event(AnonymousUser(), event.pk)).decode()


def test_an_event_file_of_a_hidden_event_is_not_found(client: Client) -> None:
    event = EventFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))

    response = client.get(reverse("events:event-calendar", args=[event.pk]))

    assert response.status_code == 404


def test_the_member_feed_holds_their_registered_events_and_nothing_else(client: Client) -> None:
    member = MemberFactory()
    confirmed = RegistrationFactory(member=member, event__online_url=ONLINE_URL).event
    waitlisted = RegistrationFactory(
        member=member, status=RegistrationStatus.WAITLISTED, event__online_url=ONLINE_URL
    ).event
    RegistrationFactory(member=member, status=RegistrationStatus.CANCELLED)
    RegistrationFactory()
    feed = calendar.regenerate_feed(member)

    response = client.get(reverse("events:member-feed", args=[feed.token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    entries = _events(response.content)
    assert set(entries) == {calendar.event_uid(confirmed), calendar.event_uid(waitlisted)}
    assert ONLINE_URL in str(entries[calendar.event_uid(confirmed)]["URL"])
    assert ONLINE_URL not in entries[calendar.event_uid(waitlisted)].to_ical().decode()


def test_the_member_feed_drops_events_of_spaces_they_can_no_longer_read() -> None:
    member = MemberFactory()
    closed_space = SpaceFactory(access_type=AccessType.APPLICATION)
    RegistrationFactory(member=member, event__space=closed_space)
    feed = calendar.regenerate_feed(member)

    assert _uids(calendar.member_feed(feed.token)) == set()


def test_the_member_feed_leaves_out_drafts() -> None:
    member = MemberFactory()
    RegistrationFactory(member=member, event__status=EventStatus.DRAFT)
    feed = calendar.regenerate_feed(member)

    assert _uids(calendar.member_feed(feed.token)) == set()


def test_a_regenerated_address_kills_the_old_one(client: Client) -> None:
    member = MemberFactory()
    old = calendar.regenerate_feed(member).token

    new = calendar.regenerate_feed(member).token

    assert new != old
    assert client.get(reverse("events:member-feed", args=[old])).status_code == 404
    assert client.get(reverse("events:member-feed", args=[new])).status_code == 200


def test_a_turned_off_address_is_not_found(client: Client) -> None:
    member = MemberFactory()
    token = calendar.regenerate_feed(member).token

    client.force_login(member)
    client.post(reverse("events:calendar-settings"), {"action": "revoke"})

    assert client.get(reverse("events:member-feed", args=[token])).status_code == 404


def test_the_settings_page_makes_an_address_on_request(client: Client) -> None:
    member = MemberFactory()
    client.force_login(member)

    response = client.post(
        reverse("events:calendar-settings"), {"action": "regenerate"}, follow=True
    )

    feed = calendar.feed_of(member)
    assert feed is not None
    assert feed.token in response.content.decode()


def test_the_public_feed_of_an_open_space_holds_its_published_events(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    published = EventFactory(space=space, online_url=ONLINE_URL)
    cancelled = EventFactory(space=space, status=EventStatus.CANCELLED)
    EventFactory(space=space, status=EventStatus.DRAFT)
    EventFactory()

    response = client.get(reverse("events:space-feed", args=[space.slug]))

    assert response.status_code == 200
    entries = _events(response.content)
    assert set(entries) == {calendar.event_uid(published), calendar.event_uid(cancelled)}
    assert str(entries[calendar.event_uid(cancelled)]["STATUS"]) == "CANCELLED"
    assert ONLINE_URL not in response.content.decode()


@pytest.mark.parametrize("access_type", [AccessType.APPLICATION, AccessType.PRIVATE])
def test_no_public_feed_for_a_space_outsiders_cannot_read(client: Client, access_type: str) -> None:
    space = SpaceFactory(access_type=access_type)
    EventFactory(space=space)

    response = client.get(reverse("events:space-feed", args=[space.slug]))

    assert response.status_code == 404


def test_no_public_feed_for_an_open_sub_group_of_a_closed_space(client: Client) -> None:
    parent = SpaceFactory(access_type=AccessType.APPLICATION)
    child = SpaceFactory(access_type=AccessType.OPEN, parent=parent)
    EventFactory(space=child)

    assert client.get(reverse("events:space-feed", args=[child.slug])).status_code == 404


def test_a_closed_space_feed_needs_the_token_of_a_member_who_reads_it(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    event = EventFactory(space=space, online_url=ONLINE_URL)
    insider = MembershipFactory(space=space).member
    outsider = MemberFactory()
    insider_token = calendar.regenerate_feed(insider).token
    outsider_token = calendar.regenerate_feed(outsider).token

    allowed = client.get(reverse("events:member-space-feed", args=[insider_token, space.slug]))
    refused = client.get(reverse("events:member-space-feed", args=[outsider_token, space.slug]))
    forged = client.get(reverse("events:member-space-feed", args=["not-a-token", space.slug]))

    assert allowed.status_code == 200
    assert _uids(allowed.content) == {calendar.event_uid(event)}
    assert ONLINE_URL not in allowed.content.decode()
    assert refused.status_code == 404
    assert forged.status_code == 404


def test_a_space_feed_shows_drafts_to_nobody() -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    host = MembershipFactory(space=space, role="host").member
    EventFactory(space=space, status=EventStatus.DRAFT)

    assert (
        _uids(calendar.space_feed(space.slug, token=calendar.regenerate_feed(host).token)) == set()
    )


def test_an_in_person_seat_is_still_a_registered_event() -> None:
    member = MemberFactory()
    event = EventFactory(format=EventFormat.OFFLINE, online_capacity=0, in_person_capacity=10)
    RegistrationFactory(member=member, event=event, seat=SeatKind.IN_PERSON)

    assert _uids(calendar.member_feed(calendar.regenerate_feed(member).token)) == {
        calendar.event_uid(event)
    }
