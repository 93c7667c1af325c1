"""Invitations to a filtered set of members, sent once, tracked to registration and attendance."""

from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from kizuna.customers.models import MemberAccountLink
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.events.access import get_event_access
from kizuna.events.followup_models import EventInvitation
from kizuna.events.invitations import (
    InviteeFilter,
    invitation_funnel,
    invitation_tracking,
    invite_members,
    matching_members,
    send_invitation_email,
)
from kizuna.events.models import Attendance, Event
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.gamification.models import Level, MemberBalance
from kizuna.identity.models import Interest, Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db


def _invite(staff: Member, event: Event, criteria: InviteeFilter) -> list[EventInvitation]:
    return invite_members(actor=staff, access=get_event_access(staff, event), criteria=criteria)


def _with_points(points: int) -> Member:
    member = MemberFactory()
    MemberBalance.objects.create(member=member, balance=points, lifetime_points=points)
    return member


def test_every_condition_must_hold() -> None:
    space = SpaceFactory()
    onboarding = Interest.objects.create(name="オンボーディング")
    account = CustomerAccountFactory()
    wanted, other_account, no_interest, outside = (MemberFactory() for _ in range(4))
    for member in (wanted, other_account, no_interest):
        MembershipFactory(space=space, member=member)
    for member in (wanted, other_account, outside):
        member.interests.add(onboarding)
    for member in (wanted, no_interest, outside):
        MemberAccountLink.objects.create(member=member, account=account, source="staff")
    MemberAccountLink.objects.create(
        member=other_account, account=CustomerAccountFactory(), source="staff"
    )

    criteria = InviteeFilter(space=space, interests=(onboarding,), account=account)

    assert list(matching_members(criteria)) == [wanted]


def test_a_level_means_its_own_band_of_points() -> None:
    silver = Level.objects.get(threshold=100)  # Silver 100 … Gold 500 (default levels)
    bronze, low_silver, high_silver, gold = (_with_points(p) for p in (99, 100, 499, 500))
    found = set(matching_members(InviteeFilter(level=silver)))
    assert found == {low_silver, high_silver}
    assert not found & {bronze, gold}


def test_invitations_go_once_to_those_who_may_see_the_event(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = StaffFactory()
    private = SpaceFactory(access_type=AccessType.APPLICATION)
    event = EventFactory(space=private)
    open_space = SpaceFactory()
    insider, outsider, registered = MemberFactory(), MemberFactory(), MemberFactory()
    MembershipFactory(space=private, member=insider)
    MembershipFactory(space=private, member=registered)
    for member in (insider, outsider, registered):
        MembershipFactory(space=open_space, member=member)
    RegistrationFactory(event=event, member=registered)

    with django_capture_on_commit_callbacks(execute=True):
        first = _invite(staff, event, InviteeFilter(space=open_space))
    again = _invite(staff, event, InviteeFilter(space=open_space))

    assert [invitation.member for invitation in first] == [insider]
    assert again == []
    assert [message.to for message in mail.outbox] == [[insider.email]]


def test_a_second_send_of_the_same_invitation_emails_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff, member, space = StaffFactory(), MemberFactory(), SpaceFactory()
    MembershipFactory(space=space, member=member)
    event = EventFactory(space=space)
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = _invite(staff, event, InviteeFilter(space=space))

    assert send_invitation_email(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1
    assert event.title in mail.outbox[0].subject


def test_only_those_who_run_the_event_invite_and_never_to_everyone() -> None:
    event = EventFactory()
    member = MemberFactory()
    with pytest.raises(PermissionDenied):
        _invite(member, event, InviteeFilter(space=event.space))
    with pytest.raises(ValidationError):
        _invite(StaffFactory(), event, InviteeFilter())


def test_tracking_follows_each_invitee_to_registration_and_attendance() -> None:
    staff, space = StaffFactory(), SpaceFactory()
    event = EventFactory(space=space)
    came, stayed_away, silent = MemberFactory(), MemberFactory(), MemberFactory()
    for member in (came, stayed_away, silent):
        MembershipFactory(space=space, member=member)
    _invite(staff, event, InviteeFilter(space=space))
    RegistrationFactory(event=event, member=came, attendance=Attendance.ATTENDED)
    RegistrationFactory(event=event, member=stayed_away, attendance=Attendance.NO_SHOW)

    rows = {
        row.member: (row.registration_status, row.attendance) for row in invitation_tracking(event)
    }
    assert rows == {
        came: ("confirmed", "attended"),
        stayed_away: ("confirmed", "no_show"),
        silent: (None, None),
    }
    funnel = invitation_funnel(event)
    assert (funnel.invited, funnel.registered, funnel.attended) == (3, 2, 1)
