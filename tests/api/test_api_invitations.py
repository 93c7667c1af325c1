"""Inviting by email, listing, withdrawing and accepting invitations through the API."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, Invitation, Membership, Space
from kizuna.spaces.tests.factories import InvitationFactory, MembershipFactory, SpaceFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def space() -> Space:
    space: Space = SpaceFactory(slug="team", access_type=AccessType.PRIVATE)
    return space


@pytest.fixture
def member(space: Space) -> Member:
    # English, so the assertions can read the messages (a member's own language wins).
    invitee = make_customer(language="en")
    return MembershipFactory(space=space, member=invitee).member


def test_a_member_invites_by_email(
    space: Space, member: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    response = session_client(member).post(
        "/api/spaces/team/invitations", {"email": "Tanaka@Example.JP", "message": "ぜひ"}
    )

    assert response.status_code == 201
    assert response.json()["email"] == "tanaka@example.jp"
    assert response.json()["status"] == "pending"
    assert "token" not in response.json()
    assert Invitation.objects.get(space=space).invited_by == member


def test_invalid_email_is_refused_and_nothing_is_written(
    space: Space, member: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    response = session_client(member).post("/api/spaces/team/invitations", {"email": "nope"})

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"email": ["Enter a valid email address."]}
    assert not Invitation.objects.exists()


def test_a_non_customer_cannot_invite_to_a_private_space(
    space: Space, non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    response = session_client(non_customer).post(
        "/api/spaces/team/invitations", {"email": "a@example.jp"}
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "customers_only"
    assert not Invitation.objects.exists()


def test_managers_list_every_invitation(
    space: Space, member: Member, staff_client: ApiClient
) -> None:
    InvitationFactory(space=space, invited_by=member)
    InvitationFactory(space=space)

    response = staff_client.get("/api/spaces/team/invitations")

    assert response.json()["count"] == 2


def test_a_member_lists_only_their_own_invitations(
    space: Space, member: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    own = InvitationFactory(space=space, invited_by=member)
    InvitationFactory(space=space)

    response = session_client(member).get("/api/spaces/team/invitations")

    assert [item["id"] for item in response.json()["items"]] == [own.pk]


def test_an_outsider_cannot_list_invitations(
    space: Space, session_client: Callable[[Member], ApiClient]
) -> None:
    InvitationFactory(space=space)

    response = session_client(make_customer()).get("/api/spaces/team/invitations")

    assert response.status_code == 403


def test_the_inviter_withdraws_an_invitation(
    space: Space, member: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    invitation = InvitationFactory(space=space, invited_by=member)

    response = session_client(member).post(f"/api/spaces/team/invitations/{invitation.pk}/revoke")

    assert response.status_code == 200
    assert response.json()["status"] == "revoked"


def test_a_member_cannot_withdraw_someone_elses_invitation(
    space: Space, member: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    invitation = InvitationFactory(space=space)

    response = session_client(member).post(f"/api/spaces/team/invitations/{invitation.pk}/revoke")

    assert response.status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).revoked_at is None


def test_the_invitee_accepts_with_the_token(
    space: Space, staff: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    invitee = MemberFactory(email="guest@example.org")
    InvitationFactory(space=space, invited_by=staff, email=invitee.email, token="t" * 40)

    response = session_client(invitee).post("/api/invitations/accept", {"token": "t" * 40})

    assert response.status_code == 200
    assert response.json()["space"] == "team"
    assert Membership.objects.get(space=space, member=invitee).via == "staff_invitation"


def test_accepting_an_invitation_sent_to_another_address_is_refused(
    space: Space, non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    InvitationFactory(space=space, email="someone@example.org", token="t" * 40)

    response = session_client(non_customer).post("/api/invitations/accept", {"token": "t" * 40})

    assert response.status_code == 422
    assert error_of(response)["message"] == (
        "This invitation was sent to someone@example.org. Sign in with that address to accept it."
    )
    assert not Membership.objects.filter(member=non_customer).exists()


def test_an_expired_invitation_is_refused(
    space: Space, session_client: Callable[[Member], ApiClient]
) -> None:
    invitee = MemberFactory()
    InvitationFactory(
        space=space,
        email=invitee.email,
        token="t" * 40,
        expires_at=timezone.now() - timedelta(days=1),
    )

    response = session_client(invitee).post("/api/invitations/accept", {"token": "t" * 40})

    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid"
    assert not Membership.objects.filter(member=invitee).exists()


def test_an_unknown_token_is_refused(
    non_customer: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    response = session_client(non_customer).post("/api/invitations/accept", {"token": "nope"})

    assert response.status_code == 422
    assert error_of(response)["message"] == (
        "This invitation link is not valid. Ask the person who invited you for a new one."
    )


@pytest.mark.parametrize("count", [2, 5])
def test_listing_invitations_uses_a_fixed_number_of_queries(
    space: Space, staff_client: ApiClient, django_assert_num_queries: Any, count: int
) -> None:
    for _ in range(count):
        InvitationFactory(space=space)

    # key lookup, key update, space, access (membership, is-customer), count, page
    with django_assert_num_queries(7):
        response = staff_client.get("/api/spaces/team/invitations")

    assert response.json()["count"] == count
