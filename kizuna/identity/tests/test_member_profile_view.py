import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.models import Interest
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def test_shows_name_company_role_bio_and_interests(client: Client) -> None:
    member = MemberFactory(
        display_name="田中 一郎",
        company_name="株式会社テスト",
        job_role="情報システム",
        bio="よろしく",
    )
    member.interests.set([Interest.objects.create(name="SSO")])
    client.force_login(MemberFactory())
    response = client.get(reverse("identity:member-profile", args=[member.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    for text in ["田中 一郎", "株式会社テスト", "情報システム", "よろしく", "SSO"]:
        assert text in content
    assert "badge-staff" not in content


def test_staff_member_has_a_staff_badge(client: Client) -> None:
    staff = StaffFactory(staff_role="csm")
    client.force_login(MemberFactory())
    response = client.get(reverse("identity:member-profile", args=[staff.pk]))
    assert "badge-staff" in response.content.decode()


def test_member_without_photo_gets_an_initial_avatar(client: Client) -> None:
    member = MemberFactory(display_name="yamada")
    client.force_login(MemberFactory())
    response = client.get(reverse("identity:member-profile", args=[member.pk]))
    assert (
        '<span class="avatar avatar-large" aria-hidden="true">Y</span>' in response.content.decode()
    )


def test_inactive_member_is_not_found(client: Client) -> None:
    member = MemberFactory(is_active=False)
    client.force_login(MemberFactory())
    response = client.get(reverse("identity:member-profile", args=[member.pk]))
    assert response.status_code == 404


def test_unknown_member_is_not_found(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.get(reverse("identity:member-profile", args=[987654]))
    assert response.status_code == 404


def test_own_profile_shows_completion_and_edit_link(client: Client) -> None:
    member = MemberFactory(bio="", company_name="", job_role="")
    client.force_login(member)
    response = client.get(reverse("identity:member-profile", args=[member.pk]))
    assert response.context["completion"]["percent"] == 0
    assert reverse("identity:profile-edit") in response.content.decode()


def test_someone_elses_profile_has_no_edit_link(client: Client) -> None:
    client.force_login(MemberFactory())
    other = MemberFactory()
    response = client.get(reverse("identity:member-profile", args=[other.pk]))
    assert response.context["completion"] is None
    assert reverse("identity:profile-edit") not in response.content.decode()


def test_my_profile_redirects_to_the_members_own_page(client: Client) -> None:
    member = MemberFactory()
    client.force_login(member)
    response = client.get(reverse("identity:my-profile"))
    assert response["Location"] == reverse("identity:member-profile", args=[member.pk])


def test_security_page_links_to_two_factor_and_password(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.get(reverse("identity:security"))
    content = response.content.decode()
    assert reverse("mfa_activate_totp") in content
    assert reverse("account_change_password") in content
    assert response.context["has_totp"] is False


def test_security_page_tells_staff_without_totp_they_need_it(client: Client) -> None:
    client.force_login(StaffFactory(with_mfa=False))
    response = client.get(reverse("identity:security"))
    assert response.context["needs_totp"] is True


def test_the_profile_shows_the_name_with_its_reading_above_it(client: Client) -> None:
    viewer = MemberFactory()
    client.force_login(viewer)
    member = MemberFactory(display_name="山田 花子", name_reading="やまだ はなこ")
    page = client.get(reverse("identity:member-profile", args=[member.pk])).content.decode()
    assert "<ruby>山田 花子<rt>やまだ はなこ</rt></ruby>" in page
