from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Invitation, Membership
from kizuna.spaces.tests.factories import InvitationFactory, MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def accept_url(invitation: Invitation) -> str:
    return reverse("spaces:invitation-accept", args=[invitation.token])


def test_shows_the_space_purpose_and_inviter(client: Client) -> None:
    invitation = InvitationFactory(
        space=SpaceFactory(name="お客様ラウンジ", access_type=AccessType.PRIVATE),
        invited_by=MemberFactory(display_name="紹介者"),
    )
    client.force_login(MemberFactory(email=invitation.email))
    response = client.get(accept_url(invitation))
    html = response.content.decode()
    assert response.status_code == 200
    assert "お客様ラウンジ" in html and "Public purpose of the space" in html
    assert "紹介者 invited you to join" in html
    assert "Secret description of the space" not in html
    assert "Accept and join" in html


def test_anonymous_visitor_is_asked_to_sign_in_or_up_keeping_the_link(client: Client) -> None:
    invitation = InvitationFactory()
    html = client.get(accept_url(invitation)).content.decode()
    assert f"/accounts/login/?next={accept_url(invitation)}" in html
    assert f"/accounts/signup/?next={accept_url(invitation)}" in html
    assert "Accept and join" not in html


def test_anonymous_accept_is_sent_to_sign_in_and_writes_nothing(client: Client) -> None:
    invitation = InvitationFactory()
    response = client.post(accept_url(invitation))
    assert response["Location"] == f"{reverse('account_login')}?next={accept_url(invitation)}"
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_accepting_joins_the_space_and_records_the_referral(client: Client) -> None:
    invitation = InvitationFactory(
        space=SpaceFactory(access_type=AccessType.PRIVATE), invited_by=StaffFactory()
    )
    member = MemberFactory(email=invitation.email)
    client.force_login(member)
    response = client.post(accept_url(invitation))
    invitation.refresh_from_db()
    assert response["Location"] == reverse("spaces:space-detail", args=[invitation.space.slug])
    assert invitation.accepted_by == member
    assert Membership.objects.get(space=invitation.space, member=member).via == (
        Membership.Via.STAFF_INVITATION
    )


def test_invalid_token_gets_a_clear_page(client: Client) -> None:
    response = client.get(reverse("spaces:invitation-accept", args=["no-such-token"]))
    assert response.status_code == 400
    assert "This invitation link is not valid." in response.content.decode()


def test_expired_invitation_gets_a_gone_page_and_nothing_is_written(client: Client) -> None:
    invitation = InvitationFactory(expires_at=timezone.now() - timedelta(minutes=1))
    client.force_login(MemberFactory(email=invitation.email))
    response = client.post(accept_url(invitation))
    invitation.refresh_from_db()
    assert response.status_code == 410
    assert "This invitation has expired." in response.content.decode()
    assert invitation.accepted_at is None
    assert not Membership.objects.exists()


def test_reused_invitation_gets_a_gone_page(client: Client) -> None:
    first = MemberFactory()
    invitation = InvitationFactory(accepted_by=first, accepted_at=timezone.now())
    client.force_login(MemberFactory(email=invitation.email))
    response = client.post(accept_url(invitation))
    invitation.refresh_from_db()
    assert response.status_code == 410
    assert "This invitation has already been used." in response.content.decode()
    assert invitation.accepted_by == first


def test_withdrawn_invitation_gets_a_gone_page(client: Client) -> None:
    invitation = InvitationFactory(revoked_at=timezone.now())
    client.force_login(MemberFactory(email=invitation.email))
    response = client.get(accept_url(invitation))
    assert response.status_code == 410
    assert "This invitation was withdrawn." in response.content.decode()


def test_invitation_for_another_address_is_refused_and_nothing_is_written(
    client: Client,
) -> None:
    invitation = InvitationFactory(email="invitee@example.org")
    client.force_login(MemberFactory(email="someone@example.org"))
    page = client.get(accept_url(invitation)).content.decode()
    response = client.post(accept_url(invitation))
    invitation.refresh_from_db()
    assert "This invitation was sent to invitee@example.org." in page
    assert response.status_code == 400
    assert "Sign in with that address to accept it." in response.content.decode()
    assert invitation.accepted_at is None
    assert not Membership.objects.exists()


def test_accepted_invitation_link_takes_its_member_to_the_space(client: Client) -> None:
    member = MemberFactory()
    invitation = InvitationFactory(
        email=member.email, accepted_by=member, accepted_at=timezone.now()
    )
    MembershipFactory(space=invitation.space, member=member, via=Membership.Via.INVITATION)
    client.force_login(member)
    response = client.get(accept_url(invitation))
    assert response["Location"] == reverse("spaces:space-detail", args=[invitation.space.slug])


def test_invitation_to_an_archived_space_is_not_valid(client: Client) -> None:
    invitation = InvitationFactory(space=SpaceFactory(archived_at=timezone.now()))
    client.force_login(MemberFactory(email=invitation.email))
    response = client.get(accept_url(invitation))
    assert response.status_code == 400
    assert invitation.space.name not in response.content.decode()
