"""The member and staff event pages, through the test client."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.events.models import (
    Attendance,
    Event,
    EventFormat,
    EventStatus,
    Registration,
    RegistrationStatus,
    SeatKind,
)
from kizuna.events.services import register
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _detail(event: Event) -> str:
    return reverse("events:event-detail", args=[event.pk])


def test_the_list_shows_upcoming_and_past_events_on_their_tabs(client: Client) -> None:
    upcoming = EventFactory(title="Upcoming meetup")
    EventFactory(
        title="Last year's meetup",
        starts_at=timezone.now() - timedelta(days=30),
        ends_at=timezone.now() - timedelta(days=30, hours=-2),
    )

    page = client.get(reverse("events:event-list")).content.decode()
    past = client.get(reverse("events:event-list") + "?tab=past").content.decode()

    assert upcoming.title in page and "Last year" not in page
    assert "Last year" in past and upcoming.title not in past


def test_an_event_in_a_private_space_is_hidden_like_a_missing_one(client: Client) -> None:
    event = EventFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    client.force_login(MemberFactory())

    assert client.get(_detail(event)).status_code == 404
    assert event.title not in client.get(reverse("events:event-list")).content.decode()


def test_a_draft_is_hidden_from_members(client: Client) -> None:
    event = EventFactory(status=EventStatus.DRAFT)
    client.force_login(MemberFactory())

    assert client.get(_detail(event)).status_code == 404


def test_the_online_link_is_shown_only_to_a_confirmed_registrant(client: Client) -> None:
    event = EventFactory(online_capacity=1, online_url="https://meet.example.com/secret-room")
    confirmed = MemberFactory()
    waiting = MemberFactory()
    register(member=confirmed, event=event, seat=SeatKind.ONLINE)
    register(member=waiting, event=event, seat=SeatKind.ONLINE)

    client.force_login(confirmed)
    assert "secret-room" in client.get(_detail(event)).content.decode()
    client.force_login(waiting)
    page = client.get(_detail(event)).content.decode()
    assert "secret-room" not in page
    assert "number 1 on the waitlist" in page


def test_a_member_registers_with_answers_from_the_event_page(client: Client) -> None:
    event = EventFactory(
        format=EventFormat.HYBRID,
        online_capacity=10,
        in_person_capacity=5,
        venue_name="大阪会場",
        registration_questions=[{"label": "Company", "required": True}],
    )
    member = MemberFactory()
    client.force_login(member)

    response = client.post(
        reverse("events:event-register", args=[event.pk]),
        {"seat": SeatKind.IN_PERSON, "answer_0": "Example KK"},
    )

    assert response.status_code == 302
    registration = Registration.objects.get(event=event, member=member)
    assert (registration.seat, registration.answers) == (SeatKind.IN_PERSON, {"0": "Example KK"})


def test_a_missing_required_answer_is_explained_on_the_form(client: Client) -> None:
    event = EventFactory(registration_questions=[{"label": "Company", "required": True}])
    client.force_login(MemberFactory())

    response = client.post(reverse("events:event-register", args=[event.pk]), {"seat": "online"})

    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Registration.objects.exists()


def test_cancelling_from_the_page_frees_the_seat(client: Client) -> None:
    registration = RegistrationFactory()
    client.force_login(registration.member)

    client.post(reverse("events:event-cancel-registration", args=[registration.event.pk]))

    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_my_events_lists_my_registrations_only(client: Client) -> None:
    mine = RegistrationFactory()
    other = RegistrationFactory()
    client.force_login(mine.member)

    page = client.get(reverse("events:my-registrations")).content.decode()

    assert mine.event.title in page and other.event.title not in page


def test_a_space_host_creates_a_draft_event(client: Client) -> None:
    space = SpaceFactory()
    host = MemberFactory()
    MembershipFactory(space=space, member=host, role=SpaceRole.HOST)
    client.force_login(host)
    starts = timezone.localtime() + timedelta(days=10)

    response = client.post(
        reverse("events:event-create", args=[space.slug]),
        {
            "title": "  Roundtable on onboarding ",
            "description": "",
            "format": EventFormat.ONLINE,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "online_capacity": 30,
            "in_person_capacity": 0,
            "registration_questions": "*Your company\nWhat do you want to learn?",
        },
    )

    assert response.status_code == 302
    event = Event.objects.get()
    assert (event.title, event.status) == ("Roundtable on onboarding", EventStatus.DRAFT)
    assert event.registration_questions == [
        {"label": "Your company", "required": True},
        {"label": "What do you want to learn?", "required": False},
    ]


def test_an_event_that_ends_before_it_starts_is_explained(client: Client) -> None:
    space = SpaceFactory()
    client.force_login(StaffFactory(staff_role="community_manager"))
    starts = timezone.localtime() + timedelta(days=10)

    response = client.post(
        reverse("events:event-create", args=[space.slug]),
        {
            "title": "Backwards",
            "format": EventFormat.ONLINE,
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "online_capacity": 30,
            "in_person_capacity": 0,
        },
    )

    assert response.status_code == 400
    assert "The event must end after it starts." in response.content.decode()


def test_a_plain_member_cannot_open_the_event_form_or_the_registrants(client: Client) -> None:
    event = EventFactory()
    client.force_login(MemberFactory())

    assert client.get(reverse("events:event-create", args=[event.space.slug])).status_code == 404
    assert client.get(reverse("events:event-registrants", args=[event.pk])).status_code == 404


def test_staff_mark_a_registrant_attended_from_the_list(client: Client) -> None:
    registration = RegistrationFactory()
    client.force_login(StaffFactory(staff_role="community_manager"))

    listing = client.get(reverse("events:event-registrants", args=[registration.event.pk]))
    client.post(
        reverse("events:event-attendance", args=[registration.event.pk, registration.pk]),
        {"attendance": Attendance.ATTENDED},
    )

    assert registration.member.name in listing.content.decode()
    registration.refresh_from_db()
    assert registration.attendance == Attendance.ATTENDED


def test_staff_publish_a_draft(client: Client) -> None:
    event = EventFactory(status=EventStatus.DRAFT)
    client.force_login(StaffFactory(staff_role="community_manager"))

    client.post(reverse("events:event-action", args=[event.pk, "publish"]))

    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED


def test_organisers_add_an_external_speaker_and_a_member_speaker(client: Client) -> None:
    event = EventFactory()
    speaker = MemberFactory(display_name="Hanako Sato")
    MembershipFactory(space=event.space, member=speaker)
    client.force_login(StaffFactory(staff_role="community_manager"))
    url = reverse("events:event-speakers", args=[event.pk])

    client.post(url, {"kind": "external", "name": "Taro Yamada", "company": "Example KK"})
    client.post(url, {"kind": "member", "member": speaker.pk, "talk_title": "Our rollout"})

    assert [(s.name, s.member_id) for s in event.speakers.all()] == [
        ("Taro Yamada", None),
        ("", speaker.pk),
    ]
    assert "Hanako Sato" in client.get(_detail(event)).content.decode()


def test_a_speaker_without_a_name_is_explained(client: Client) -> None:
    event = EventFactory()
    client.force_login(StaffFactory(staff_role="community_manager"))

    response = client.post(
        reverse("events:event-speakers", args=[event.pk]), {"kind": "external", "name": " "}
    )

    assert response.status_code == 400
    assert "write the speaker&#x27;s name" in response.content.decode()
    assert not event.speakers.exists()


def test_after_the_event_an_attendee_reads_that_they_came_not_seats_or_the_join_link(
    client: Client,
) -> None:
    member = MemberFactory()
    event = EventFactory(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-2),
    )
    RegistrationFactory(event=event, member=member, attendance=Attendance.ATTENDED)
    client.force_login(member)

    page = client.get(_detail(event)).content.decode()

    assert "You attended this event." in page
    assert "seats left" not in page
    assert event.online_url not in page
    assert reverse("events:my-checkin-code", args=[event.pk]) not in page


def test_a_full_seat_kind_says_registering_joins_the_waitlist(client: Client) -> None:
    event = EventFactory(online_capacity=1)
    RegistrationFactory(event=event)
    client.force_login(MemberFactory())

    page = client.get(_detail(event)).content.decode()

    assert "Full: registering puts you on the waitlist" in page


def test_my_events_show_attendance_once_an_event_is_over(client: Client) -> None:
    member = MemberFactory()
    past = EventFactory(
        starts_at=timezone.now() - timedelta(days=3),
        ends_at=timezone.now() - timedelta(days=3, hours=-2),
    )
    RegistrationFactory(event=past, member=member, attendance=Attendance.NO_SHOW)
    client.force_login(member)

    page = client.get(reverse("events:my-registrations")).content.decode()

    assert "No-show" in page
    assert "Confirmed" not in page
