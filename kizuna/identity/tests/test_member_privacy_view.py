"""Privacy settings: editable on the profile form, and honoured wherever other members look."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EDIT_URL = reverse("identity:profile-edit")


def profile_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "display_name": "山田 花子",
        "company_name": "株式会社サンプル",
        "job_role": "経理マネージャー",
        "language": "en",
        "time_zone": "Asia/Tokyo",
        "listed_in_directory": "on",
        "shows_company": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def hidden_company() -> Member:
    member: Member = MemberFactory(
        display_name="Hidden", company_name="秘密商事", job_role="経理", shows_company=False
    )
    return member


def test_new_members_are_listed_and_show_their_company() -> None:
    member = MemberFactory()
    assert (member.listed_in_directory, member.shows_company) == (True, True)


def test_edit_page_explains_each_setting_and_links_to_the_leaderboard_setting(
    client: Client,
) -> None:
    client.force_login(MemberFactory(shows_company=False))

    response = client.get(EDIT_URL)

    content = response.content.decode()
    assert "List me in the member directory" in content
    assert "nobody can find you by it in the directory" in content
    assert reverse("gamification:my-recognition") in content
    assert response.context["form"].initial["shows_company"] is False
    assert response.context["form"].initial["listed_in_directory"] is True


def test_unticking_the_boxes_saves_both_settings(client: Client) -> None:
    member = MemberFactory()
    client.force_login(member)

    response = client.post(EDIT_URL, profile_data(listed_in_directory=None, shows_company=None))

    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.listed_in_directory, member.shows_company) == (False, False)
    assert member.company_name == "株式会社サンプル"


def test_ticking_the_boxes_again_restores_them(client: Client) -> None:
    member = MemberFactory(listed_in_directory=False, shows_company=False)
    client.force_login(member)

    client.post(EDIT_URL, profile_data())

    member.refresh_from_db()
    assert (member.listed_in_directory, member.shows_company) == (True, True)


def test_other_members_do_not_see_a_hidden_company_on_the_profile(
    client: Client, hidden_company: Member
) -> None:
    client.force_login(MemberFactory())
    content = client.get(reverse("identity:member-profile", args=[hidden_company.pk])).content
    assert "秘密商事" not in content.decode()
    assert "経理" in content.decode()


def test_nor_do_staff_on_the_member_facing_profile(client: Client, hidden_company: Member) -> None:
    client.force_login(StaffFactory(staff_role="csm"))
    url = reverse("identity:member-profile", args=[hidden_company.pk])
    assert "秘密商事" not in client.get(url).content.decode()


def test_staff_with_customer_data_access_still_see_it_on_staff_pages(
    client: Client, hidden_company: Member
) -> None:
    client.force_login(StaffFactory(staff_role="csm"))
    response = client.get(reverse("staff:staff-members"), {"q": "Hidden"})
    assert "秘密商事" in response.content.decode()


def test_the_member_sees_their_own_hidden_company_with_a_note(
    client: Client, hidden_company: Member
) -> None:
    client.force_login(hidden_company)
    content = client.get(reverse("identity:member-profile", args=[hidden_company.pk])).content
    assert "秘密商事" in content.decode()
    assert "Only you and the community team see your company." in content.decode()


def test_an_unlisted_member_is_reminded_on_their_own_profile(client: Client) -> None:
    member = MemberFactory(listed_in_directory=False)
    url = reverse("identity:member-profile", args=[member.pk])

    client.force_login(MemberFactory())
    assert "not listed in the member directory" not in client.get(url).content.decode()
    client.force_login(member)
    assert "You are not listed in the member directory." in client.get(url).content.decode()
