"""Changing roles and removing members through the API: hosts and staff only."""

from collections.abc import Callable
from typing import Any

import pytest

from kizuna.core.models import AuditEntry
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.models import Member
from kizuna.spaces.models import Membership, Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def space() -> Space:
    space: Space = SpaceFactory(slug="team")
    return space


@pytest.fixture
def member(space: Space) -> Member:
    membership = MembershipFactory(space=space, member=make_customer())
    return membership.member


def test_staff_make_a_member_moderator(staff_client: ApiClient, member: Member) -> None:
    response = staff_client.patch(f"/api/spaces/team/members/{member.pk}", {"role": "moderator"})

    assert response.status_code == 200
    assert response.json()["role"] == "moderator"
    assert Membership.objects.get(member=member).role == SpaceRole.MODERATOR
    assert AuditEntry.objects.get(action="membership.role_changed").details["to"] == "moderator"


def test_a_host_changes_roles(
    space: Space, member: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    host = MembershipFactory(space=space, member=make_customer(), role=SpaceRole.HOST).member

    response = session_client(host).patch(
        f"/api/spaces/team/members/{member.pk}", {"role": "moderator"}
    )

    assert response.status_code == 200


def test_a_space_moderator_cannot_change_roles(
    space: Space, member: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    moderator = MembershipFactory(
        space=space, member=make_customer(), role=SpaceRole.MODERATOR
    ).member

    response = session_client(moderator).patch(
        f"/api/spaces/team/members/{member.pk}", {"role": "host"}
    )

    assert response.status_code == 403
    assert Membership.objects.get(member=member).role == SpaceRole.MEMBER


def test_unknown_role_is_refused(staff_client: ApiClient, member: Member) -> None:
    response = staff_client.patch(f"/api/spaces/team/members/{member.pk}", {"role": "king"})

    assert response.status_code == 422
    assert list(error_of(response)["fields"]) == ["role"]
    assert Membership.objects.get(member=member).role == SpaceRole.MEMBER


def test_changing_someone_who_is_not_a_member_gets_404(
    staff_client: ApiClient, space: Space
) -> None:
    outsider = make_customer()

    response = staff_client.patch(f"/api/spaces/team/members/{outsider.pk}", {"role": "member"})

    assert response.status_code == 404


def test_the_only_host_cannot_be_demoted(staff_client: ApiClient, space: Space) -> None:
    host = MembershipFactory(space=space, role=SpaceRole.HOST).member

    response = staff_client.patch(f"/api/spaces/team/members/{host.pk}", {"role": "member"})

    assert response.status_code == 422
    assert error_of(response)["message"] == (
        "A space needs at least one host. Make someone else host first."
    )
    assert Membership.objects.get(member=host).role == SpaceRole.HOST


def test_staff_remove_a_member_with_a_reason(staff_client: ApiClient, member: Member) -> None:
    response = staff_client.post(
        f"/api/spaces/team/members/{member.pk}/remove", {"reason": "規約違反"}
    )

    assert response.status_code == 204
    assert not Membership.objects.filter(member=member).exists()
    assert AuditEntry.objects.get(action="membership.removed").reason == "規約違反"


def test_removal_without_a_reason_is_refused(staff_client: ApiClient, member: Member) -> None:
    response = staff_client.post(f"/api/spaces/team/members/{member.pk}/remove", {"reason": " "})

    assert response.status_code == 422
    assert error_of(response)["fields"] == {"reason": ["Give a reason for removing the member."]}
    assert Membership.objects.filter(member=member).exists()


def test_a_member_cannot_remove_another(
    space: Space, member: Member, session_client: Callable[[Member], ApiClient]
) -> None:
    other = MembershipFactory(space=space, member=make_customer()).member

    response = session_client(other).post(
        f"/api/spaces/team/members/{member.pk}/remove", {"reason": "嫌い"}
    )

    assert response.status_code == 403
    assert Membership.objects.filter(member=member).exists()


def test_the_only_host_cannot_leave(space: Space, session_client: Any) -> None:
    host = MembershipFactory(space=space, member=make_customer(), role=SpaceRole.HOST).member

    response = session_client(host).post("/api/spaces/team/leave")

    assert response.status_code == 422
    assert Membership.objects.filter(member=host).exists()
