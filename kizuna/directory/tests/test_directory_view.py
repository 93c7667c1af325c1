"""The member directory: who is listed, what each filter finds, and what it never reveals."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.directory.tests.helpers import give_points
from kizuna.gamification.models import Level
from kizuna.identity.models import Interest, Member
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = reverse("directory:directory")


def names_on_page(response: Any) -> list[str]:
    return [card["member"].display_name for card in response.context["cards"]]


@pytest.fixture
def viewer(client: Client) -> Member:
    member = MemberFactory(display_name="Viewer")
    client.force_login(member)
    return member


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_lists_active_listed_members_only(client: Client, viewer: Member) -> None:
    MemberFactory(display_name="Listed")
    MemberFactory(display_name="Unlisted", listed_in_directory=False)
    MemberFactory(display_name="Gone", is_active=False)

    response = client.get(URL)

    assert response.status_code == 200
    assert names_on_page(response) == ["Listed", "Viewer"]
    content = response.content.decode()
    assert "Unlisted" not in content and "Gone" not in content


def test_name_search_matches_the_display_name_never_the_email(
    client: Client, viewer: Member
) -> None:
    MemberFactory(display_name="佐藤 花子", email="secret-handle@example.org")
    MemberFactory(display_name="鈴木 次郎")

    assert names_on_page(client.get(URL, {"q": "花子"})) == ["佐藤 花子"]
    assert names_on_page(client.get(URL, {"q": "secret-handle"})) == []


def test_company_search_finds_only_members_who_show_their_company(
    client: Client, viewer: Member
) -> None:
    MemberFactory(display_name="Shown", company_name="株式会社ひかり")
    MemberFactory(display_name="Hidden", company_name="株式会社ひかり", shows_company=False)

    response = client.get(URL, {"company": "ひかり"})

    assert names_on_page(response) == ["Shown"]


def test_hidden_company_is_not_on_the_card(client: Client, viewer: Member) -> None:
    MemberFactory(
        display_name="Hidden", company_name="秘密商事", job_role="経理", shows_company=False
    )

    content = client.get(URL).content.decode()

    assert "Hidden" in content and "経理" in content
    assert "秘密商事" not in content


def test_challenge_filter(client: Client, viewer: Member) -> None:
    invoicing = Interest.objects.create(name="請求書発行")
    sso = Interest.objects.create(name="SSO")
    MemberFactory(display_name="Invoicer").interests.set([invoicing])
    MemberFactory(display_name="Both").interests.set([invoicing, sso])
    MemberFactory(display_name="Neither")

    response = client.get(URL, {"challenge": invoicing.pk})

    assert names_on_page(response) == ["Both", "Invoicer"]
    assert f'href="{URL}?challenge={sso.pk}"' in response.content.decode()


def test_challenges_held_only_by_unlisted_members_are_not_offered(
    client: Client, viewer: Member
) -> None:
    secret = Interest.objects.create(name="秘密の課題")
    MemberFactory(listed_in_directory=False).interests.set([secret])

    response = client.get(URL)

    assert "秘密の課題" not in response.content.decode()
    assert names_on_page(client.get(URL, {"challenge": secret.pk})) == ["Viewer"]


def test_level_filter_uses_lifetime_points_between_thresholds(
    client: Client, viewer: Member
) -> None:
    silver = Level.objects.get(name_en="Silver")  # 100 to 499 points
    give_points(MemberFactory(display_name="Just silver"), 100)
    give_points(MemberFactory(display_name="Top silver"), 499)
    give_points(MemberFactory(display_name="Gold"), 500)
    give_points(MemberFactory(display_name="Bronze"), 99)

    response = client.get(URL, {"level": silver.pk})

    assert names_on_page(response) == ["Just silver", "Top silver"]
    assert [card["level"].name_en for card in response.context["cards"]] == ["Silver", "Silver"]


def test_lowest_level_includes_members_without_points(client: Client, viewer: Member) -> None:
    bronze = Level.objects.get(name_en="Bronze")
    give_points(MemberFactory(display_name="Silver"), 150)

    response = client.get(URL, {"level": bronze.pk})

    assert names_on_page(response) == ["Viewer"]


def test_filters_combine(client: Client, viewer: Member) -> None:
    sso = Interest.objects.create(name="SSO")
    MemberFactory(display_name="田中 SSO", company_name="A社").interests.set([sso])
    MemberFactory(display_name="田中 other", company_name="A社")
    MemberFactory(display_name="山田 SSO", company_name="A社").interests.set([sso])

    response = client.get(URL, {"q": "田中", "company": "A社", "challenge": sso.pk})

    assert names_on_page(response) == ["田中 SSO"]


@pytest.mark.parametrize(
    "params",
    [
        {"challenge": "not-a-number"},
        {"challenge": "99999999999999999999"},
        {"level": "abc"},
        {"q": "x" * 500},
        {"q": "a\x00b"},
        {"company": "\x00"},
        {"page": "-1"},
        {"page": "9999"},
    ],
)
def test_bad_query_input_never_errors(
    client: Client, viewer: Member, params: dict[str, str]
) -> None:
    response = client.get(URL, params)
    assert response.status_code == 200


def test_an_unknown_challenge_is_explained_and_the_other_filters_still_apply(
    client: Client, viewer: Member
) -> None:
    MemberFactory(display_name="Wanted")

    response = client.get(URL, {"challenge": "999999", "q": "Want"})

    assert "Select a valid choice" in response.content.decode()
    assert names_on_page(response) == ["Wanted"]


def test_no_match_has_an_empty_state(client: Client, viewer: Member) -> None:
    response = client.get(URL, {"q": "誰もいない"})
    assert "No members match your search." in response.content.decode()


def test_paginated(client: Client, viewer: Member) -> None:
    for number in range(30):
        MemberFactory(display_name=f"Member {number:02}")

    first = client.get(URL)
    second = client.get(URL, {"page": 2})

    assert len(first.context["cards"]) == 24
    assert len(second.context["cards"]) == 7
    assert 'rel="next"' in first.content.decode()
    assert not set(names_on_page(first)) & set(names_on_page(second))


def test_query_count_does_not_grow_with_members(
    client: Client, viewer: Member, django_assert_max_num_queries: Any
) -> None:
    interests = [Interest.objects.create(name=f"課題{number}") for number in range(3)]
    for number in range(20):
        member = MemberFactory(display_name=f"M{number}", company_name="会社")
        member.interests.set(interests)
        give_points(member, 10 + number * 30)

    with django_assert_max_num_queries(10):
        response = client.get(URL)

    assert len(response.context["cards"]) == 21


def test_navigation_links_to_the_directory(client: Client, viewer: Member) -> None:
    response = client.get(reverse("identity:my-profile"), follow=True)
    assert f'href="{URL}"' in response.content.decode()
