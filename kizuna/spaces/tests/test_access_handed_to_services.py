"""A spaces page decides the space's access once and hands that decision to the service.

The service takes it only when it is about the same person and the same space; any other
decision is ignored and the service decides for itself.
"""

from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces import permissions, services
from kizuna.spaces.models import AccessType, Invitation, JoinRequest, Membership, Space, SpaceRole
from kizuna.spaces.permissions import SpaceAccess, SpaceAccessDeniedError, get_space_access
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory
from kizuna.spaces.views import membership as membership_views

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

Decisions = list[tuple[int | None, int]]


@pytest.fixture
def decisions(monkeypatch: pytest.MonkeyPatch) -> Decisions:
    """Every (viewer, space) pair whose access is decided while the test runs."""
    made: Decisions = []
    decide: Callable[[Viewer, Space], SpaceAccess] = permissions.get_space_access

    def counting(viewer: Viewer, space: Space) -> SpaceAccess:
        made.append((viewer.pk, space.pk))
        return decide(viewer, space)

    monkeypatch.setattr(permissions, "get_space_access", counting)
    monkeypatch.setattr(membership_views, "get_space_access", counting)
    return made


def test_joining_decides_the_space_access_once(client: Client, decisions: Decisions) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    member = MemberFactory()
    client.force_login(member)
    decisions.clear()
    response = client.post(reverse("spaces:space-join", args=[space.slug]))
    assert response.status_code == 302
    assert Membership.objects.filter(space=space, member=member).exists()
    assert decisions == [(member.pk, space.pk)]


def test_applying_decides_the_space_access_once(client: Client, decisions: Decisions) -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION, join_questions=["ご利用の製品は?"])
    member = MemberFactory()
    client.force_login(member)
    decisions.clear()
    response = client.post(reverse("spaces:space-apply", args=[space.slug]), {"answer_0": "経費"})
    assert response.status_code == 302
    assert JoinRequest.objects.filter(space=space, applicant=member).exists()
    assert decisions == [(member.pk, space.pk)]


def test_editing_decides_the_space_access_once(client: Client, decisions: Decisions) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    space = host.space
    client.force_login(host.member)
    decisions.clear()
    response = client.post(
        reverse("spaces:space-edit", args=[space.slug]),
        {
            "name": "新しい名前",
            "slug": space.slug,
            "access_type": AccessType.OPEN,
            "purpose": "目的",
            "rules": "ルール",
            "color": "#336699",
        },
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.name == "新しい名前"
    assert decisions == [(host.member_id, space.pk)]


def test_inviting_decides_the_space_access_once(client: Client, decisions: Decisions) -> None:
    membership = MembershipFactory()
    space = membership.space
    client.force_login(membership.member)
    decisions.clear()
    response = client.post(
        reverse("spaces:space-invitations", args=[space.slug]),
        {"email": "friend@example.org", "message": ""},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(space=space, email="friend@example.org").exists()
    assert decisions == [(membership.member_id, space.pk)]


def test_removing_a_member_decides_the_space_access_once(
    client: Client, decisions: Decisions
) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    space = host.space
    removed = MembershipFactory(space=space)
    client.force_login(host.member)
    decisions.clear()
    response = client.post(
        reverse("spaces:space-member-remove", args=[space.slug, removed.pk]),
        {"reason": "規約違反"},
    )
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=removed.pk).exists()
    assert decisions == [(host.member_id, space.pk)]


def test_a_decision_about_someone_else_does_not_let_a_member_join() -> None:
    space: Space = SpaceFactory(access_type=AccessType.PRIVATE)
    staff_decision = get_space_access(StaffFactory(), space)
    assert staff_decision.can_join
    outsider: Member = MemberFactory()
    with pytest.raises(PermissionDenied):
        services.join_space(member=outsider, space=space, access=staff_decision)
    assert not Membership.objects.filter(space=space, member=outsider).exists()


def test_a_decision_about_another_space_does_not_let_a_host_edit_it() -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    other: Space = SpaceFactory(name="よそのスペース")
    decision_for_own_space = get_space_access(host.member, host.space)
    assert decision_for_own_space.can_manage
    with pytest.raises(SpaceAccessDeniedError):
        services.update_space(
            actor=host.member, space=other, access=decision_for_own_space, name="乗っ取り"
        )
    other.refresh_from_db()
    assert other.name == "よそのスペース"
