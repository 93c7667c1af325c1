"""Every state an invitation link can be in, opened and accepted on the page and through the API.

The page and the API must agree, answer with a reason (never a 500) and write nothing when
they refuse.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces import services
from kizuna.spaces.models import AccessType, Invitation, Membership, SpaceRole
from kizuna.spaces.tests.factories import InvitationFactory, MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

USED = "This invitation has already been used."
NO_LONGER_MEMBER = (
    "You have already used this invitation and are no longer a member of this space. "
    "Ask the person who invited you for a new invitation."
)
CLOSED = "This space has been closed."


@dataclass(frozen=True)
class Case:
    invitation: Invitation
    member: Member


def _invitee() -> Member:
    member: Member = MemberFactory(language="en")
    return member


def _accepted_then(leaves: Callable[[Invitation, Member], None]) -> Case:
    """The invitee accepted, then something happened to their membership."""
    member = _invitee()
    space = SpaceFactory()
    MembershipFactory(space=space, role=SpaceRole.HOST)
    invitation = InvitationFactory(space=space, email=member.email, invited_by=StaffFactory())
    services.accept_invitation(member=member, token=invitation.token)
    invitation.refresh_from_db()
    leaves(invitation, member)
    return Case(invitation, member)


def _removed_by_a_host(invitation: Invitation, member: Member) -> None:
    host = invitation.space.memberships.get(role=SpaceRole.HOST).member
    membership = Membership.objects.get(space=invitation.space, member=member)
    services.remove_member(actor=host, membership=membership, reason="規約違反")


def _left(invitation: Invitation, member: Member) -> None:
    services.leave_space(member=member, space=invitation.space)


def removed_member() -> Case:
    return _accepted_then(_removed_by_a_host)


def member_who_left() -> Case:
    return _accepted_then(_left)


def used_by_someone_else() -> Case:
    member = _invitee()
    invitation = InvitationFactory(
        email=member.email, accepted_by=MemberFactory(), accepted_at=timezone.now()
    )
    return Case(invitation, member)


def accepted_then_space_archived() -> Case:
    case = _accepted_then(lambda _invitation, _member: None)
    case.invitation.space.archived_at = timezone.now()
    case.invitation.space.save()
    return case


def _pending(**fields: object) -> Case:
    member = _invitee()
    return Case(InvitationFactory(email=member.email, **fields), member)


def expired() -> Case:
    return _pending(expires_at=timezone.now() - timedelta(minutes=1))


def withdrawn() -> Case:
    return _pending(revoked_at=timezone.now())


def space_archived() -> Case:
    return _pending(space=SpaceFactory(archived_at=timezone.now()))


def private_space_from_a_member_to_a_non_customer() -> Case:
    return _pending(space=SpaceFactory(access_type=AccessType.PRIVATE))


def _accept_on_the_page(case: Case) -> tuple[int, str]:
    client = Client()
    client.force_login(case.member)
    response = client.post(reverse("spaces:invitation-accept", args=[case.invitation.token]))
    return response.status_code, response.content.decode()


def _open_on_the_page(case: Case) -> tuple[int, str]:
    client = Client()
    client.force_login(case.member)
    response = client.get(reverse("spaces:invitation-accept", args=[case.invitation.token]))
    return response.status_code, response.content.decode()


def _accept_through_the_api(case: Case) -> tuple[int, str]:
    client = Client()
    client.force_login(case.member)
    response = client.post(
        "/api/invitations/accept",
        json.dumps({"token": case.invitation.token}),
        content_type="application/json",
    )
    return response.status_code, response.json()["error"]["message"]


REFUSALS = [
    (removed_member, 410, 422, NO_LONGER_MEMBER),
    (member_who_left, 410, 422, NO_LONGER_MEMBER),
    (used_by_someone_else, 410, 422, USED),
    (accepted_then_space_archived, 410, 422, CLOSED),
    (expired, 410, 422, "This invitation has expired."),
    (withdrawn, 410, 422, "This invitation was withdrawn."),
    (space_archived, 400, 422, CLOSED),
    (
        private_space_from_a_member_to_a_non_customer,
        400,
        422,
        "This space is for customers only.",
    ),
]


@pytest.mark.parametrize(("make_case", "page_status", "api_status", "reason"), REFUSALS)
def test_a_refused_invitation_says_why_on_the_page_and_in_the_api_and_writes_nothing(
    make_case: Callable[[], Case], page_status: int, api_status: int, reason: str
) -> None:
    case = make_case()
    memberships = set(Membership.objects.values_list("pk", flat=True))
    accepted = (case.invitation.accepted_by_id, case.invitation.accepted_at)

    page = _accept_on_the_page(case)
    api = _accept_through_the_api(case)

    assert (page[0], reason in page[1]) == (page_status, True)
    assert (api[0], api[1].startswith(reason)) == (api_status, True)
    assert set(Membership.objects.values_list("pk", flat=True)) == memberships
    case.invitation.refresh_from_db()
    assert (case.invitation.accepted_by_id, case.invitation.accepted_at) == accepted


@pytest.mark.parametrize(
    ("make_case", "reason"),
    [
        (removed_member, NO_LONGER_MEMBER),
        (member_who_left, NO_LONGER_MEMBER),
        (used_by_someone_else, USED),
        (accepted_then_space_archived, CLOSED),
    ],
)
def test_opening_a_used_invitation_link_says_why_it_cannot_be_used(
    make_case: Callable[[], Case], reason: str
) -> None:
    status, html = _open_on_the_page(make_case())

    assert (status, reason in html) == (410, True)
    assert "Accept and join" not in html


def test_a_removed_member_rejoins_with_a_new_invitation() -> None:
    case = removed_member()
    host = case.invitation.space.memberships.get(role=SpaceRole.HOST).member

    again = services.invite_to_space(
        actor=host, space=case.invitation.space, email=case.member.email
    )
    membership = services.accept_invitation(member=case.member, token=again.token)

    assert again.pk != case.invitation.pk
    assert (membership.space, membership.member) == (case.invitation.space, case.member)
