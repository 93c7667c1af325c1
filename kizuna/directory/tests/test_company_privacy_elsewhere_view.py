"""A company its member hides stays hidden on the other pages that name members."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.badges.tests.factories import BadgeAwardFactory, BadgeFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def hidden_company() -> Member:
    member: Member = MemberFactory(
        display_name="Hidden", company_name="秘密商事", shows_company=False
    )
    return member


def test_space_member_list_hides_the_company(client: Client, hidden_company: Member) -> None:
    space = SpaceFactory()
    MembershipFactory(space=space, member=hidden_company)
    MembershipFactory(space=space, member=MemberFactory(company_name="公開商事"))
    client.force_login(MemberFactory())

    content = client.get(reverse("spaces:space-members", args=[space.slug])).content.decode()

    assert "公開商事" in content
    assert "秘密商事" not in content


def test_badge_holders_hide_the_company(
    client: Client, hidden_company: Member, django_assert_max_num_queries: Any
) -> None:
    badge = BadgeFactory()
    BadgeAwardFactory(badge=badge, member=hidden_company)
    BadgeAwardFactory(badge=badge, member=MemberFactory(company_name="公開商事"))
    client.force_login(MemberFactory())

    with django_assert_max_num_queries(15):
        response = client.get(reverse("badges:badge-detail", args=[badge.slug]))

    content = response.content.decode()
    assert "公開商事" in content
    assert "秘密商事" not in content
