from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.core.models import AuditEntry
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Membership, Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


AssertNumQueries = Callable[[int], AbstractContextManager[Any]]
# session, member, space, membership for the access, count, page
QUERIES = 6


def members_url(space: Space) -> str:
    return reverse("spaces:space-members", args=[space.slug])


def role_url(membership: Membership) -> str:
    return reverse("spaces:space-member-role", args=[membership.space.slug, membership.pk])


def remove_url(membership: Membership) -> str:
    return reverse("spaces:space-member-remove", args=[membership.space.slug, membership.pk])


def test_lists_hosts_first_then_moderators_then_members(client: Client) -> None:
    space = SpaceFactory()
    MembershipFactory(space=space, member=MemberFactory(display_name="メンバー"))
    MembershipFactory(
        space=space, role=SpaceRole.MODERATOR, member=MemberFactory(display_name="モデレーター")
    )
    host = MembershipFactory(
        space=space, role=SpaceRole.HOST, member=MemberFactory(display_name="ホスト")
    )
    client.force_login(host.member)
    page = client.get(members_url(space)).context["page"]
    assert [str(membership.member) for membership in page] == ["ホスト", "モデレーター", "メンバー"]


def test_anonymous_visitor_is_sent_to_sign_in(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    response = client.get(members_url(space))
    assert response["Location"] == f"{reverse('account_login')}?next={members_url(space)}"


def test_non_customer_gets_the_customers_only_page_without_member_names(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    MembershipFactory(space=space, member=make_customer(display_name="山田花子"))
    client.force_login(MemberFactory())
    response = client.get(members_url(space))
    assert response.status_code == 403
    assert "This space is for customers only" in response.content.decode()
    assert "山田花子" not in response.content.decode()


def test_plain_member_sees_the_list_without_management_forms(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.member)
    html = client.get(members_url(membership.space)).content.decode()
    assert str(membership.member) in html
    assert role_url(membership) not in html
    assert remove_url(membership) not in html


def test_host_sees_role_and_remove_controls(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    other = MembershipFactory(space=host.space)
    client.force_login(host.member)
    html = client.get(members_url(host.space)).content.decode()
    assert role_url(other) in html
    assert remove_url(other) in html


def test_empty_space_shows_an_empty_state(client: Client) -> None:
    space = SpaceFactory()
    client.force_login(StaffFactory())
    assert "This space has no members yet." in client.get(members_url(space)).content.decode()


def test_members_list_query_count_does_not_grow_with_members(
    client: Client, django_assert_num_queries: AssertNumQueries
) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    client.force_login(host.member)
    MembershipFactory.create_batch(2, space=host.space)
    with django_assert_num_queries(QUERIES) as captured:
        client.get(members_url(host.space))
    MembershipFactory.create_batch(10, space=host.space)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(members_url(host.space))


def test_host_changes_a_member_role(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    other = MembershipFactory(space=host.space)
    client.force_login(host.member)
    response = client.post(role_url(other), {"role": SpaceRole.MODERATOR}, follow=True)
    other.refresh_from_db()
    assert other.role == SpaceRole.MODERATOR
    assert f"{other.member} is now Moderator." in response.content.decode()


def test_plain_member_cannot_change_roles(client: Client) -> None:
    membership = MembershipFactory()
    other = MembershipFactory(space=membership.space)
    client.force_login(membership.member)
    response = client.post(role_url(other), {"role": SpaceRole.HOST})
    other.refresh_from_db()
    assert response.status_code == 403
    assert other.role == SpaceRole.MEMBER


def test_demoting_the_only_host_is_refused_with_a_message(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    client.force_login(host.member)
    response = client.post(role_url(host), {"role": SpaceRole.MEMBER}, follow=True)
    host.refresh_from_db()
    assert host.role == SpaceRole.HOST
    assert "A space needs at least one host." in response.content.decode()


def test_unknown_role_is_refused_with_a_message(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    other = MembershipFactory(space=host.space)
    client.force_login(host.member)
    response = client.post(role_url(other), {"role": "owner"}, follow=True)
    other.refresh_from_db()
    assert other.role == SpaceRole.MEMBER
    assert "Choose host, moderator or member." in response.content.decode()


def test_remove_page_asks_for_a_reason(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    other = MembershipFactory(space=host.space)
    client.force_login(host.member)
    response = client.get(remove_url(other))
    assert response.status_code == 200
    assert 'name="reason"' in response.content.decode()


def test_remove_without_reason_shows_the_error_and_keeps_the_member(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    other = MembershipFactory(space=host.space)
    client.force_login(host.member)
    response = client.post(remove_url(other), {"reason": "  "})
    assert response.status_code == 400
    assert response.context["form"].errors == {"reason": ["Give a reason for removing the member."]}
    assert Membership.objects.filter(pk=other.pk).exists()


def test_remove_with_reason_removes_and_audits(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    other = MembershipFactory(space=host.space)
    client.force_login(host.member)
    response = client.post(remove_url(other), {"reason": "規約違反"})
    assert response["Location"] == members_url(host.space)
    assert not Membership.objects.filter(pk=other.pk).exists()
    assert AuditEntry.objects.filter(action="membership.removed", reason="規約違反").count() == 1


def test_plain_member_cannot_remove_and_nothing_changes(client: Client) -> None:
    membership = MembershipFactory()
    other = MembershipFactory(space=membership.space)
    client.force_login(membership.member)
    response = client.post(remove_url(other), {"reason": "嫌い"})
    assert response.status_code == 403
    assert Membership.objects.filter(pk=other.pk).exists()


def test_membership_of_another_space_is_not_found(client: Client) -> None:
    host = MembershipFactory(role=SpaceRole.HOST)
    elsewhere = MembershipFactory()
    client.force_login(host.member)
    url = reverse("spaces:space-member-remove", args=[host.space.slug, elsewhere.pk])
    assert client.post(url, {"reason": "x"}).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_members_who_are_not_listed_in_the_directory_are_left_off_for_other_members(
    client: Client,
) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    viewer = MembershipFactory(space=space, member=MemberFactory(display_name="閲覧者")).member
    MembershipFactory(space=space, member=MemberFactory(display_name="公開さん"))
    MembershipFactory(
        space=space, member=MemberFactory(display_name="非公開さん", listed_in_directory=False)
    )
    client.force_login(viewer)
    page = client.get(members_url(space)).context["page"]
    assert sorted(str(membership.member) for membership in page) == ["公開さん", "閲覧者"]


def test_an_unlisted_member_sees_themself_and_hosts_see_everyone(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    host = MembershipFactory(space=space, role=SpaceRole.HOST, member=MemberFactory()).member
    unlisted = MembershipFactory(
        space=space, member=MemberFactory(display_name="非公開さん", listed_in_directory=False)
    ).member
    for viewer in (unlisted, host):
        client.force_login(viewer)
        page = client.get(members_url(space)).context["page"]
        assert "非公開さん" in [str(membership.member) for membership in page]


def test_the_members_api_leaves_unlisted_members_off_for_other_members(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    viewer = MembershipFactory(space=space).member
    unlisted = MembershipFactory(space=space, member=MemberFactory(listed_in_directory=False))
    client.force_login(viewer)
    response = client.get(f"/api/spaces/{space.slug}/members")
    assert response.status_code == 200
    assert unlisted.member_id not in [item["member"]["id"] for item in response.json()["items"]]
    assert viewer.pk in [item["member"]["id"] for item in response.json()["items"]]
