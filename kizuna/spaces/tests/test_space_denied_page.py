"""Every space-scoped URL answers a hidden space alike (one denied page for them all)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SPACE_URLS = ["spaces:space-detail", "content:space-feed", "content:post-create"]


def _subgroup_of_archived_parent() -> Space:
    parent = SpaceFactory(name="終了した親", archived_at=timezone.now())
    return SpaceFactory(name="残ったサブ", parent=parent, access_type=AccessType.OPEN)


@pytest.mark.parametrize("url_name", SPACE_URLS)
def test_subgroup_of_an_archived_parent_is_not_found_at_every_space_url(
    client: Client, url_name: str
) -> None:
    subgroup = _subgroup_of_archived_parent()
    member = MemberFactory()
    MembershipFactory(member=member, space=subgroup)
    client.force_login(member)
    response = client.get(reverse(url_name, args=[subgroup.slug]))
    assert response.status_code == 404
    assert "終了した親" not in response.content.decode()


@pytest.mark.parametrize("url_name", ["spaces:space-detail", "content:space-feed"])
def test_subgroup_of_a_private_parent_shows_the_same_denied_page_at_every_space_url(
    client: Client, url_name: str
) -> None:
    parent = SpaceFactory(name="お客様ラウンジ", access_type=AccessType.PRIVATE)
    subgroup = SpaceFactory(name="サブ", parent=parent, access_type=AccessType.OPEN)
    client.force_login(MemberFactory())
    response = client.get(reverse(url_name, args=[subgroup.slug]))
    assert response.status_code == 403
    assert "お客様ラウンジ" in response.content.decode()
