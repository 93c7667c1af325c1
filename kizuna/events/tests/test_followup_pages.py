"""The survey, connect, invitations and KPI pages: who may open them and what their forms do."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.content.models import Post
from kizuna.events.access import get_event_access
from kizuna.events.followup_models import ConnectOptIn, EventInvitation, SurveyResponse
from kizuna.events.models import Attendance, Event
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _past() -> Event:
    starts = timezone.now() - timedelta(hours=3)
    return EventFactory(
        starts_at=starts, ends_at=starts + timedelta(hours=2), created_by=StaffFactory()
    )


def _signed_in(client: Client, member: Member | None = None) -> Member:
    member = member or MemberFactory()
    member.language = "en"
    member.save(update_fields=["language"])
    client.force_login(member)
    return member


def test_an_attendee_answers_the_survey_from_its_page(client: Client) -> None:
    event = _past()
    member = _signed_in(client)
    RegistrationFactory(event=event, member=member, attendance=Attendance.ATTENDED)
    url = reverse("events:event-survey", args=[event.pk])
    assert "How likely are you to recommend" in client.get(url).content.decode()

    response = client.post(url, {"satisfaction": "4", "recommend": "9", "comment": "良かった"})

    assert response.status_code == 302
    assert SurveyResponse.objects.get().recommend == 9


def test_the_survey_page_tells_a_no_show_it_is_for_attendees(client: Client) -> None:
    event = _past()
    member = _signed_in(client)
    RegistrationFactory(event=event, member=member, attendance=Attendance.NO_SHOW)
    url = reverse("events:event-survey", args=[event.pk])
    assert "Only people who attended" in client.get(url).content.decode()
    assert client.post(url, {"satisfaction": "4", "recommend": "9"}).status_code == 409
    assert not SurveyResponse.objects.exists()


def test_the_discussion_button_opens_the_one_thread(client: Client) -> None:
    event = _past()
    _signed_in(client)
    url = reverse("events:event-discussion", args=[event.pk])
    first = client.post(url)
    second = client.post(url)
    post = Post.objects.get()
    assert first["Location"] == second["Location"] == reverse("content:post-detail", args=[post.pk])


def test_an_attendee_joins_the_connect_list_and_asks_another(client: Client) -> None:
    event = _past()
    member = _signed_in(client)
    RegistrationFactory(event=event, member=member, attendance=Attendance.ATTENDED)
    other = RegistrationFactory(event=event, attendance=Attendance.ATTENDED).member
    ConnectOptIn.objects.create(event=event, member=other)

    client.post(reverse("events:event-connect-opt-in", args=[event.pk]), {"listed": "1"})
    page = client.get(reverse("events:event-connect", args=[event.pk])).content.decode()
    client.post(reverse("events:event-connect-request", args=[event.pk, other.pk]))
    after = client.get(reverse("events:event-connect", args=[event.pk])).content.decode()

    assert other.name in page
    assert "Waiting for an answer" in after


def test_invitations_page_is_for_those_who_run_the_event(client: Client) -> None:
    event = EventFactory()
    _signed_in(client)
    assert client.get(reverse("events:event-invitations", args=[event.pk])).status_code == 403


def test_staff_invite_the_members_of_a_space_and_see_them_tracked(client: Client) -> None:
    event = EventFactory()
    invitee = MembershipFactory(space=event.space).member
    _signed_in(client, StaffFactory())
    url = reverse("events:event-invitations", args=[event.pk])

    response = client.post(url, {"space": event.space.pk})
    page = client.get(url).content.decode()

    assert response.status_code == 302
    assert EventInvitation.objects.get().member == invitee
    assert invitee.name in page
    assert "Not registered" in page


def test_an_invitation_without_any_condition_is_refused(client: Client) -> None:
    event = EventFactory()
    _signed_in(client, StaffFactory())
    response = client.post(reverse("events:event-invitations", args=[event.pk]), {})
    assert response.status_code == 409
    assert not EventInvitation.objects.exists()


def test_the_kpi_page_shows_a_quarter_to_staff_only(client: Client) -> None:
    event = _past()
    RegistrationFactory(event=event, attendance=Attendance.ATTENDED)
    url = reverse("events:kpis")
    _signed_in(client)
    assert client.get(url).status_code == 403

    _signed_in(client, StaffFactory())
    page = client.get(url).content.decode()

    assert event.title in page
    assert "Repeat participation rate" in page
    assert client.get(url, {"quarter": "nonsense"}).status_code == 200


def test_the_event_page_block_offers_what_applies_to_the_viewer() -> None:
    event = _past()
    attendee = RegistrationFactory(event=event, attendance=Attendance.ATTENDED).member
    attendee_links = Template("{% load event_followup %}{% event_followup_links access %}").render(
        Context({"access": get_event_access(attendee, event)})
    )
    outsider_links = Template("{% load event_followup %}{% event_followup_links access %}").render(
        Context({"access": get_event_access(MemberFactory(), event)})
    )

    assert reverse("events:event-survey", args=[event.pk]) in attendee_links
    assert reverse("events:event-connect", args=[event.pk]) in attendee_links
    assert reverse("events:event-survey", args=[event.pk]) not in outsider_links
    assert reverse("events:event-invitations", args=[event.pk]) not in outsider_links


def test_organisers_add_a_recording_link_and_remove_it(client: Client) -> None:
    event = _past()
    _signed_in(client, StaffFactory())
    url = reverse("events:event-materials", args=[event.pk])

    added = client.post(
        url, {"title": "録画", "kind": "recording", "url": "https://video.example.com/1"}
    )
    material = event.materials.get()
    client.post(url, {"remove": str(material.pk)})

    assert added.status_code == 302
    assert (material.title, material.kind) == ("録画", "recording")
    assert not event.materials.exists()


def test_a_material_needs_a_link_or_a_file(client: Client) -> None:
    event = _past()
    _signed_in(client, StaffFactory())
    response = client.post(
        reverse("events:event-materials", args=[event.pk]), {"title": "資料", "kind": "slides"}
    )
    assert response.status_code == 400
    assert "Give either a link or a file" in response.content.decode()


def test_members_cannot_add_materials(client: Client) -> None:
    event = _past()
    _signed_in(client)
    response = client.post(
        reverse("events:event-materials", args=[event.pk]),
        {"title": "x", "kind": "slides", "url": "https://example.com"},
    )
    assert response.status_code == 403
    assert not event.materials.exists()
