from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Invitation, Membership, Space, SpaceRole
from kizuna.spaces.tests.factories import InvitationFactory, MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


AssertNumQueries = Callable[[int], AbstractContextManager[Any]]
# session, member, space, membership, count, page
QUERIES = 6


def invitations_url(space: Space) -> str:
    return reverse("spaces:space-invitations", args=[space.slug])


def revoke_url(invitation: Invitation) -> str:
    return reverse("spaces:invitation-revoke", args=[invitation.space.slug, invitation.pk])


def test_member_sends_an_invitation_and_is_told(client: Client) -> None:
    membership: Membership = MembershipFactory()
    client.force_login(membership.member)
    response = client.post(
        invitations_url(membership.space),
        {"email": "Friend@Example.org", "message": "一緒にどうですか"},
        follow=True,
    )
    invitation = Invitation.objects.get(space=membership.space)
    assert (invitation.email, invitation.invited_by) == ("friend@example.org", membership.member)
    assert "Invitation sent to friend@example.org." in response.content.decode()


def test_invalid_email_is_shown_next_to_the_field_and_kept(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.member)
    response = client.post(invitations_url(membership.space), {"email": "not-an-address"})
    assert response.status_code == 400
    assert response.context["form"].errors == {"email": ["Enter a valid email address."]}
    assert 'value="not-an-address"' in response.content.decode()
    assert not Invitation.objects.exists()


def test_empty_email_gets_a_clear_message(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.member)
    response = client.post(invitations_url(membership.space), {"email": ""})
    assert response.context["form"].errors == {
        "email": ["Enter the email address of the person to invite."]
    }


def test_inviting_an_existing_member_is_refused(client: Client) -> None:
    membership = MembershipFactory()
    other = MembershipFactory(space=membership.space)
    client.force_login(membership.member)
    response = client.post(invitations_url(membership.space), {"email": other.member.email})
    assert response.context["form"].errors == {
        "email": ["This person is already a member of the space."]
    }
    assert not Invitation.objects.exists()


def test_non_member_cannot_invite_and_nothing_is_sent(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    client.force_login(MemberFactory())
    response = client.post(invitations_url(space), {"email": "friend@example.org"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_list_shows_who_invited_whom_and_each_status(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    space = host.space
    inviter = MembershipFactory(space=space, member=MemberFactory(display_name="紹介者")).member
    joined = MemberFactory(display_name="参加者")
    InvitationFactory(
        space=space,
        invited_by=inviter,
        email="a@example.org",
        accepted_by=joined,
        accepted_at=timezone.now(),
    )
    InvitationFactory(space=space, invited_by=inviter, email="b@example.org")
    InvitationFactory(
        space=space, invited_by=inviter, email="c@example.org", expires_at=timezone.now()
    )
    InvitationFactory(
        space=space, invited_by=inviter, email="d@example.org", revoked_at=timezone.now()
    )
    client.force_login(host.member)
    response = client.get(invitations_url(space))
    html = response.content.decode()
    assert {i.email: i.status for i in response.context["page"]} == {
        "a@example.org": "accepted",
        "b@example.org": "pending",
        "c@example.org": "expired",
        "d@example.org": "revoked",
    }
    assert "紹介者" in html and "Joined as 参加者" in html
    for label in ("Accepted", "Pending", "Expired", "Withdrawn"):
        assert label in html


def test_plain_member_sees_only_their_own_invitations(client: Client) -> None:
    membership = MembershipFactory()
    InvitationFactory(
        space=membership.space, invited_by=membership.member, email="mine@example.org"
    )
    InvitationFactory(space=membership.space, email="theirs@example.org")
    client.force_login(membership.member)
    page = client.get(invitations_url(membership.space)).context["page"]
    assert [invitation.email for invitation in page] == ["mine@example.org"]


def test_empty_list_shows_an_empty_state(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.member)
    html = client.get(invitations_url(membership.space)).content.decode()
    assert "No invitations sent yet." in html


def test_invitations_query_count_does_not_grow(
    client: Client, django_assert_num_queries: AssertNumQueries
) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    client.force_login(host.member)
    InvitationFactory.create_batch(2, space=host.space)
    with django_assert_num_queries(QUERIES):
        client.get(invitations_url(host.space))
    joined = MemberFactory()
    InvitationFactory.create_batch(6, space=host.space)
    InvitationFactory(space=host.space, accepted_by=joined, accepted_at=timezone.now())
    with django_assert_num_queries(QUERIES):
        client.get(invitations_url(host.space))


def test_inviter_withdraws_a_pending_invitation(client: Client) -> None:
    membership = MembershipFactory()
    invitation = InvitationFactory(space=membership.space, invited_by=membership.member)
    client.force_login(membership.member)
    response = client.post(revoke_url(invitation), follow=True)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert f"The invitation to {invitation.email} was withdrawn." in response.content.decode()


def test_someone_else_cannot_withdraw_an_invitation(client: Client) -> None:
    membership = MembershipFactory()
    invitation = InvitationFactory(space=membership.space)
    client.force_login(membership.member)
    response = client.post(revoke_url(invitation))
    invitation.refresh_from_db()
    assert response.status_code == 403
    assert invitation.revoked_at is None


def test_staff_who_manage_memberships_withdraw_any_invitation(client: Client) -> None:
    invitation = InvitationFactory()
    client.force_login(StaffFactory(staff_role="community_manager"))
    client.post(revoke_url(invitation))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
