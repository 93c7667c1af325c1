import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, Membership, Space, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


CREATE_URL = reverse("spaces:space-create")


def valid_fields(**overrides: str) -> dict[str, str]:
    fields = {
        "name": "製品ユーザー会",
        "slug": "product-users",
        "access_type": AccessType.APPLICATION,
        "purpose": "製品の使い方を共有する",
        "description": "中の説明",
        "rules": "敬意を持って",
        "join_questions": "ご利用中の製品は?\n\n参加の目的は?",
        "color": "#336699",
        "icon": "🚀",
        "parent": "",
    }
    fields.update(overrides)
    return fields


def test_staff_creates_a_space_and_becomes_its_host(client: Client) -> None:
    staff = StaffFactory()
    client.force_login(staff)
    response = client.post(CREATE_URL, valid_fields())
    space = Space.objects.get(slug="product-users")
    assert response["Location"] == reverse("spaces:space-detail", args=["product-users"])
    assert space.join_questions == ["ご利用中の製品は?", "参加の目的は?"]
    assert Membership.objects.get(space=space).member_id == staff.pk
    assert Membership.objects.get(space=space).role == SpaceRole.HOST


def test_create_form_shows_errors_next_to_fields_and_keeps_input(client: Client) -> None:
    client.force_login(StaffFactory())
    response = client.post(CREATE_URL, valid_fields(purpose="", rules=""))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "purpose": ["Write the space's purpose: members decide whether to join from it."],
        "rules": ["Write the space's rules: they keep it on purpose."],
    }
    assert "製品ユーザー会" in response.content.decode()
    assert not Space.objects.exists()


def test_create_form_shows_the_service_error_for_a_taken_address(client: Client) -> None:
    SpaceFactory(slug="product-users")
    client.force_login(StaffFactory())
    response = client.post(CREATE_URL, valid_fields())
    assert response.status_code == 400
    assert response.context["form"].errors == {"slug": ["Another space already uses this address."]}
    assert Space.objects.count() == 1


@pytest.mark.parametrize("slug", ["new", "invitations"])
def test_create_form_refuses_reserved_addresses(client: Client, slug: str) -> None:
    client.force_login(StaffFactory())
    response = client.post(CREATE_URL, valid_fields(slug=slug))
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "slug": ["This address is used by the site itself. Choose another one."]
    }
    assert not Space.objects.exists()


def test_member_cannot_open_the_create_page(client: Client) -> None:
    client.force_login(MemberFactory())
    assert client.get(CREATE_URL).status_code == 403


def test_staff_without_the_capability_cannot_create(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="sales"))
    assert client.post(CREATE_URL, valid_fields()).status_code == 403
    assert not Space.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in_from_the_create_page(client: Client) -> None:
    response = client.get(CREATE_URL)
    assert response["Location"] == f"{reverse('account_login')}?next={CREATE_URL}"


def test_staff_without_mfa_is_sent_to_set_it_up(client: Client) -> None:
    client.force_login(StaffFactory(with_mfa=False))
    response = client.post(CREATE_URL, valid_fields())
    assert response["Location"] == reverse("mfa_activate_totp")
    assert not Space.objects.exists()


def test_staff_creates_a_subgroup_under_the_space(client: Client) -> None:
    parent = SpaceFactory()
    client.force_login(StaffFactory())
    url = reverse("spaces:subgroup-create", args=[parent.slug])
    client.post(url, valid_fields(slug="sub"))
    assert Space.objects.get(slug="sub").parent_id == parent.pk


def test_subgroup_of_a_subgroup_is_refused_with_a_message(client: Client) -> None:
    subgroup = SpaceFactory(parent=SpaceFactory())
    client.force_login(StaffFactory())
    url = reverse("spaces:subgroup-create", args=[subgroup.slug])
    response = client.post(url, valid_fields(slug="deeper"))
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        "Sub-groups cannot have sub-groups of their own."
    ]
    assert not Space.objects.filter(slug="deeper").exists()


def test_member_cannot_create_subgroups(client: Client) -> None:
    parent = SpaceFactory()
    client.force_login(MembershipFactory(space=parent).member)
    url = reverse("spaces:subgroup-create", args=[parent.slug])
    assert client.post(url, valid_fields(slug="sub")).status_code == 403
    assert not Space.objects.filter(slug="sub").exists()


def test_edit_form_is_filled_with_the_space(client: Client) -> None:
    space = SpaceFactory(join_questions=["質問1", "質問2"])
    client.force_login(StaffFactory())
    form = client.get(reverse("spaces:space-edit", args=[space.slug])).context["form"]
    assert form.initial["name"] == space.name
    assert form.initial["join_questions"] == "質問1\n質問2"


def test_host_edits_the_space(client: Client) -> None:
    membership = MembershipFactory(role=SpaceRole.HOST)
    client.force_login(membership.member)
    url = reverse("spaces:space-edit", args=[membership.space.slug])
    client.post(url, valid_fields(slug=membership.space.slug, name="新しい名前"))
    membership.space.refresh_from_db()
    assert membership.space.name == "新しい名前"


def test_plain_member_cannot_edit_and_nothing_changes(client: Client) -> None:
    membership = MembershipFactory()
    client.force_login(membership.member)
    url = reverse("spaces:space-edit", args=[membership.space.slug])
    response = client.post(url, valid_fields(slug=membership.space.slug, name="乗っ取り"))
    membership.space.refresh_from_db()
    assert response.status_code == 403
    assert membership.space.name != "乗っ取り"


def test_staff_without_mfa_cannot_edit(client: Client) -> None:
    space: Space = SpaceFactory()
    client.force_login(StaffFactory(with_mfa=False))
    url = reverse("spaces:space-edit", args=[space.slug])
    response = client.post(url, valid_fields(slug=space.slug, name="変更"))
    space.refresh_from_db()
    assert response["Location"] == reverse("mfa_activate_totp")
    assert space.name != "変更"
