"""Inviting a segment to an event: through the events app's invitations, only members who may
see the event, each once, however often the invitation is sent."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.core.models import AuditEntry
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.events.access import get_event_access
from kizuna.events.followup_models import EventInvitation
from kizuna.events.models import Event
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.segments.access import get_segment_access
from kizuna.segments.models import Segment
from kizuna.segments.services import invite_to_event
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def manager() -> Member:
    """A community manager: manages segments and (MANAGE_SPACES) runs every space's events."""
    staff: Member = StaffFactory(staff_role="community_manager")
    return staff


def segment_of_joined_recently() -> Segment:
    return Segment.objects.create(
        name="Newcomers",
        conditions=[
            {"field": "member.joined", "op": "within_last", "value": 30},
            {"field": "member.kind", "op": "not_in", "value": ["staff"]},
        ],
    )


def invite(actor: Member, segment: Segment, event: Event) -> tuple[int, int, int, int]:
    report = invite_to_event(
        actor, get_segment_access(actor, segment), get_event_access(actor, event)
    )
    return report.invited, report.already, report.no_access, report.remaining


def test_sending_twice_invites_each_member_once(manager: Member) -> None:
    aoi, ren = MemberFactory(), MemberFactory()
    MemberFactory(date_joined=timezone.now() - timedelta(days=90))
    event = EventFactory()
    segment = segment_of_joined_recently()

    assert invite(manager, segment, event) == (2, 0, 0, 0)
    assert set(EventInvitation.objects.values_list("member_id", flat=True)) == {aoi.pk, ren.pk}
    assert invite(manager, segment, event) == (0, 2, 0, 0)
    assert EventInvitation.objects.count() == 2
    details = [
        e.details
        for e in AuditEntry.objects.filter(action="segments.members_invited").order_by("pk")
    ]
    assert [d["invited"] for d in details] == [2, 0]


def test_members_registered_already_are_not_invited(manager: Member) -> None:
    registered, fresh = MemberFactory(), MemberFactory()
    event = EventFactory()
    RegistrationFactory(event=event, member=registered)
    assert invite(manager, segment_of_joined_recently(), event) == (1, 1, 0, 0)
    assert list(EventInvitation.objects.values_list("member_id", flat=True)) == [fresh.pk]


def test_members_who_cannot_see_the_event_are_counted_not_invited(manager: Member) -> None:
    customer = make_customer(CustomerAccountFactory())
    MemberFactory()  # a prospect: the private space is for customers only
    event = EventFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    assert invite(manager, segment_of_joined_recently(), event) == (1, 0, 1, 0)
    assert list(EventInvitation.objects.values_list("member_id", flat=True)) == [customer.pk]


def test_only_those_who_run_the_event_may_invite_to_it() -> None:
    MemberFactory()
    csm = StaffFactory(staff_role="csm")  # manages segments, runs no space's events
    with pytest.raises(PermissionDenied):
        invite(csm, segment_of_joined_recently(), EventFactory())
    assert EventInvitation.objects.count() == 0


def test_an_event_that_is_over_takes_no_invitations(manager: Member) -> None:
    MemberFactory()
    starts = timezone.now() - timedelta(days=2)
    past = EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    with pytest.raises(ValidationError):
        invite(manager, segment_of_joined_recently(), past)


def test_the_invite_page_reports_the_counts(client: Client, manager: Member) -> None:
    MemberFactory()
    event = EventFactory(title="Kickoff meetup")
    segment = segment_of_joined_recently()
    client.force_login(manager)
    url = reverse("segments:segment-invite", args=[segment.pk])
    assert "Kickoff meetup" in client.get(url).content.decode()
    response = client.post(url, {"event": event.pk}, follow=True)
    assert "1 member invited." in response.content.decode()
    response = client.post(url, {"event": event.pk}, follow=True)
    assert "0 members invited. 1 was invited or registered already." in response.content.decode()
    assert EventInvitation.objects.count() == 1


def test_the_invite_page_offers_only_upcoming_events_the_viewer_runs(
    client: Client, manager: Member
) -> None:
    EventFactory(title="Upcoming meetup")
    starts = timezone.now() - timedelta(days=3)
    EventFactory(title="Last week's meetup", starts_at=starts, ends_at=starts + timedelta(hours=1))
    EventFactory(title="Draft meetup", status="draft")
    client.force_login(manager)
    html = client.get(
        reverse("segments:segment-invite", args=[segment_of_joined_recently().pk])
    ).content.decode()
    assert "Upcoming meetup" in html
    assert "Last week" not in html
    assert "Draft meetup" not in html
