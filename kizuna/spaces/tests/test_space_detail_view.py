import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Space, SpaceRole
from kizuna.spaces.permissions import get_space_access
from kizuna.spaces.tests.factories import JoinRequestFactory, MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


SECRET_DESCRIPTION = "Secret description of the space"


def detail_url(space: Space) -> str:
    return reverse("spaces:space-detail", args=[space.slug])


def private_space_with_content() -> Space:
    space = SpaceFactory(name="お客様ラウンジ", access_type=AccessType.PRIVATE)
    MembershipFactory(space=space, member=make_customer(display_name="山田花子"))
    SpaceFactory(name="秘密のサブグループ", parent=space)
    return space


def assert_shows_nothing_beyond_name_and_purpose(html: str) -> None:
    assert SECRET_DESCRIPTION not in html
    assert "山田花子" not in html
    assert "秘密のサブグループ" not in html


def test_unknown_slug_is_not_found(client: Client) -> None:
    assert client.get("/spaces/no-such-space/").status_code == 404


def test_archived_space_is_not_found_for_members(client: Client) -> None:
    space = SpaceFactory(archived_at=timezone.now())
    client.force_login(make_customer())
    assert client.get(detail_url(space)).status_code == 404


def test_archived_space_stays_visible_to_staff_who_manage_spaces(client: Client) -> None:
    space = SpaceFactory(archived_at=timezone.now())
    client.force_login(StaffFactory())
    response = client.get(detail_url(space))
    assert response.status_code == 200
    assert "This space is archived." in response.content.decode()


def test_open_space_shows_its_content_to_anonymous_visitors(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.OPEN)
    MembershipFactory(
        space=space, role=SpaceRole.HOST, member=MemberFactory(display_name="ホスト太郎")
    )
    SpaceFactory(name="公開サブグループ", parent=space)
    response = client.get(detail_url(space))
    html = response.content.decode()
    assert response.status_code == 200
    assert SECRET_DESCRIPTION in html
    assert "ホスト太郎" in html
    assert "公開サブグループ" in html
    assert response.context["member_count"] == 1
    assert "Sign in to join" in html


def test_member_sees_their_role_and_a_leave_button(client: Client) -> None:
    membership = MembershipFactory(role=SpaceRole.MODERATOR)
    client.force_login(membership.member)
    html = client.get(detail_url(membership.space)).content.decode()
    assert "You are a member of this space (Moderator)." in html
    assert reverse("spaces:space-leave", args=[membership.space.slug]) in html
    assert reverse("spaces:space-requests", args=[membership.space.slug]) in html


def test_customer_sees_private_space_content_and_a_join_button(client: Client) -> None:
    space = private_space_with_content()
    client.force_login(make_customer())
    response = client.get(detail_url(space))
    assert response.status_code == 200
    assert SECRET_DESCRIPTION in response.content.decode()
    assert reverse("spaces:space-join", args=[space.slug]) in response.content.decode()


def test_anonymous_visitor_of_private_space_is_asked_to_sign_in(client: Client) -> None:
    space = private_space_with_content()
    response = client.get(detail_url(space))
    html = response.content.decode()
    assert response.status_code == 403
    assert response.context["denial"] == "sign_in"
    assert "Sign in to see this space" in html
    assert f"/accounts/login/?next={detail_url(space)}" in html
    assert "お客様ラウンジ" in html and "Public purpose of the space" in html
    assert_shows_nothing_beyond_name_and_purpose(html)


def test_non_customer_gets_the_customers_only_page(client: Client) -> None:
    space = private_space_with_content()
    client.force_login(MemberFactory())
    response = client.get(detail_url(space))
    html = response.content.decode()
    assert response.status_code == 403
    assert "This space is for customers only" in html
    assert "Sign in with your company email address." in html
    assert "ask the community team" in html
    assert "Be kind and stay on topic" not in html
    assert_shows_nothing_beyond_name_and_purpose(html)


def test_application_space_shows_rules_questions_and_apply_button_to_non_members(
    client: Client,
) -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION, join_questions=["ご利用中の製品は?"])
    MembershipFactory(space=space, member=MemberFactory(display_name="山田花子"))
    client.force_login(MemberFactory())
    response = client.get(detail_url(space))
    html = response.content.decode()
    assert response.status_code == 403
    assert response.context["denial"] == "application_required"
    assert "Be kind and stay on topic" in html
    assert "ご利用中の製品は?" in html
    assert reverse("spaces:space-apply", args=[space.slug]) in html
    assert_shows_nothing_beyond_name_and_purpose(html)


def test_applicant_with_a_pending_request_sees_review_notice_and_withdraw_button(
    client: Client,
) -> None:
    join_request = JoinRequestFactory()
    client.force_login(join_request.applicant)
    response = client.get(detail_url(join_request.space))
    html = response.content.decode()
    assert response.status_code == 403
    assert "Your application is under review" in html
    assert reverse("spaces:join-request-withdraw", args=[join_request.space.slug]) in html
    assert f'href="{reverse("spaces:space-apply", args=[join_request.space.slug])}"' not in html
    assert SECRET_DESCRIPTION not in html


def test_subgroup_of_a_hidden_parent_points_to_the_parent(client: Client) -> None:
    parent = SpaceFactory(name="お客様ラウンジ", access_type=AccessType.PRIVATE)
    subgroup = SpaceFactory(name="サブ", parent=parent, access_type=AccessType.OPEN)
    client.force_login(MemberFactory())
    response = client.get(detail_url(subgroup))
    html = response.content.decode()
    assert response.status_code == 403
    assert response.context["denial"] == "parent_required"
    assert detail_url(parent) in html
    assert SECRET_DESCRIPTION not in html


def test_denied_page_does_not_show_member_count_or_hosts(client: Client) -> None:
    space = private_space_with_content()
    response = client.get(detail_url(space))
    assert "member_count" not in response.context
    assert "hosts" not in response.context


def test_denied_page_access_matches_the_policy_module(client: Client) -> None:

    space = private_space_with_content()
    response = client.get(detail_url(space))
    assert response.context["access"] == get_space_access(AnonymousUser(), space)


def test_staff_who_manage_spaces_see_edit_and_subgroup_links(client: Client) -> None:
    space = SpaceFactory()
    client.force_login(StaffFactory())
    html = client.get(detail_url(space)).content.decode()
    assert reverse("spaces:space-edit", args=[space.slug]) in html
    assert reverse("spaces:subgroup-create", args=[space.slug]) in html
    assert reverse("spaces:space-members", args=[space.slug]) in html


def test_plain_member_sees_no_management_links(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.member)
    html = client.get(detail_url(membership.space)).content.decode()
    assert reverse("spaces:space-edit", args=[membership.space.slug]) not in html
    assert reverse("spaces:space-requests", args=[membership.space.slug]) not in html


def test_space_without_subgroups_says_so(client: Client) -> None:
    space = SpaceFactory()
    assert "This space has no sub-groups yet." in client.get(detail_url(space)).content.decode()
