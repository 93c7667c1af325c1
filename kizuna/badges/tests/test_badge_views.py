from typing import Any

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse

from kizuna.badges.models import Badge
from kizuna.badges.tests.factories import BadgeAwardFactory, BadgeFactory
from kizuna.content.models import Post, PostType
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HTMX = {"HTTP_HX_REQUEST": "true"}


def test_list_shows_active_badges_with_holder_counts(client: Client) -> None:
    badge = BadgeFactory(name_en="Helper")
    BadgeAwardFactory(badge=badge)
    BadgeAwardFactory(badge=badge)
    BadgeAwardFactory(badge=badge, member=MemberFactory(is_active=False))
    BadgeFactory(name_en="Retired", is_active=False)
    response = client.get(reverse("badges:badge-list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Helper" in body
    assert "2 holders" in body
    assert "Retired" not in body


def test_list_empty_state(client: Client) -> None:
    Badge.objects.all().delete()
    body = client.get(reverse("badges:badge-list")).content.decode()
    assert "There are no badges yet." in body


def test_list_in_japanese_uses_the_japanese_name(client: Client, settings: Any) -> None:
    settings.LANGUAGE_CODE = "ja"
    settings.LANGUAGES = [("ja", "日本語")]
    BadgeFactory(name_ja="助っ人", name_en="Helper")
    body = client.get(reverse("badges:badge-list")).content.decode()
    assert "助っ人" in body
    assert "Helper" not in body


def test_detail_lists_holders_with_name_company_and_date_only(client: Client) -> None:
    badge = BadgeFactory(name_en="Helper", description_en="Helps people.")
    member = MemberFactory(display_name="佐藤", company_name="株式会社サンプル")
    space = SpaceFactory(name="極秘スペース", access_type=AccessType.PRIVATE)
    MembershipFactory(space=space, member=member)
    Post.objects.create(
        space=space, author=member, post_type=PostType.QUESTION, title="秘密の質問", body="x"
    )
    BadgeAwardFactory(badge=badge, member=member, reason="秘密の理由")
    client.force_login(MemberFactory())
    response = client.get(reverse("badges:badge-detail", args=[badge.slug]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Helps people." in body
    assert "佐藤" in body
    assert "株式会社サンプル" in body
    assert "極秘スペース" not in body
    assert "秘密の質問" not in body
    assert "秘密の理由" not in body
    assert member.email not in body


def test_detail_hides_inactive_holders_and_shows_empty_state(client: Client) -> None:
    badge = BadgeFactory()
    BadgeAwardFactory(badge=badge, member=MemberFactory(display_name="退会者", is_active=False))
    client.force_login(MemberFactory())
    body = client.get(reverse("badges:badge-detail", args=[badge.slug])).content.decode()
    assert "退会者" not in body
    assert "Nobody holds this badge yet." in body


def test_holders_are_listed_only_to_signed_in_members_and_only_if_they_list_themselves(
    client: Client,
) -> None:
    badge = BadgeFactory()
    BadgeAwardFactory(badge=badge, member=MemberFactory(display_name="掲載さん"))
    BadgeAwardFactory(
        badge=badge, member=MemberFactory(display_name="非掲載さん", listed_in_directory=False)
    )
    url = reverse("badges:badge-detail", args=[badge.slug])
    anonymous = client.get(url).content.decode()
    assert "掲載さん" not in anonymous
    assert "Sign in to see who holds this badge." in anonymous
    client.force_login(MemberFactory())
    signed_in = client.get(url).content.decode()
    assert "掲載さん" in signed_in
    assert "非掲載さん" not in signed_in


def test_detail_of_inactive_or_unknown_badge_is_404(client: Client) -> None:
    badge = BadgeFactory(is_active=False)
    assert client.get(reverse("badges:badge-detail", args=[badge.slug])).status_code == 404
    assert client.get(reverse("badges:badge-detail", args=["nope"])).status_code == 404


def test_detail_with_htmx_returns_only_the_holders_fragment(client: Client) -> None:
    badge = BadgeFactory(name_en="Helper")
    BadgeAwardFactory(badge=badge, member=MemberFactory(display_name="佐藤"))
    client.force_login(MemberFactory())
    response = client.get(reverse("badges:badge-detail", args=[badge.slug]), **HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div id="badge-holders"')
    assert "佐藤" in body
    assert "<html" not in body


def test_holders_list_query_count_does_not_grow(
    client: Client, django_assert_num_queries: Any
) -> None:
    badge = BadgeFactory()
    for _ in range(12):
        BadgeAwardFactory(badge=badge)
    url = reverse("badges:badge-detail", args=[badge.slug])
    client.force_login(MemberFactory())
    # session, viewer, badge, holder count, one page of holders with their members
    with django_assert_num_queries(5):
        response = client.get(url, **HTMX)
    assert response.content.decode().count('class="holder"') == 12


def test_holders_are_paginated(client: Client) -> None:
    badge = BadgeFactory()
    for _ in range(31):
        BadgeAwardFactory(badge=badge)
    client.force_login(MemberFactory())
    url = reverse("badges:badge-detail", args=[badge.slug])
    assert client.get(url).content.decode().count('class="holder"') == 30
    assert client.get(url, {"page": 2}).content.decode().count('class="holder"') == 1


def test_profile_shows_the_members_badges(client: Client) -> None:
    member = MemberFactory()
    BadgeAwardFactory(member=member, badge=BadgeFactory(name_en="Helper"))
    BadgeAwardFactory(member=member, badge=BadgeFactory(name_en="Retired", is_active=False))
    client.force_login(MemberFactory())
    body = client.get(reverse("identity:member-profile", args=[member.pk])).content.decode()
    assert "Helper" in body
    assert "Retired" not in body


def test_profile_badges_empty_state(client: Client) -> None:
    member = MemberFactory()
    client.force_login(MemberFactory())
    body = client.get(reverse("identity:member-profile", args=[member.pk])).content.decode()
    assert "No badges yet." in body


def test_profile_include_is_one_query(django_assert_num_queries: Any) -> None:

    member = MemberFactory()
    for _ in range(5):
        BadgeAwardFactory(member=member)
    template = engines["django"].from_string(
        '{% include "badges/components/member_badges.html" with member=member %}'
    )
    with django_assert_num_queries(1):
        html = template.render({"member": member})
    assert html.count('class="badge-chip"') == 5


def test_badge_list_is_one_query(client: Client, django_assert_num_queries: Any) -> None:
    for _ in range(3):
        BadgeAwardFactory()
    with django_assert_num_queries(1):
        response = client.get(reverse("badges:badge-list"))
    assert response.status_code == 200
