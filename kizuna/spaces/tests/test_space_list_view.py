from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


AssertNumQueries = Callable[[int], AbstractContextManager[Any]]
URL = reverse("spaces:space-list")
# session, member, count, page of spaces, prefetched sub-groups
QUERIES_SIGNED_IN = 5


def test_lists_every_live_space_with_its_type_badge(client: Client) -> None:
    SpaceFactory(name="オープン広場", access_type=AccessType.OPEN)
    SpaceFactory(name="お客様ラウンジ", access_type=AccessType.PRIVATE)
    SpaceFactory(name="審査制サロン", access_type=AccessType.APPLICATION)
    html = client.get(URL).content.decode()
    for name in ("オープン広場", "お客様ラウンジ", "審査制サロン"):
        assert name in html
    for badge in ("badge-open", "badge-private", "badge-application"):
        assert badge in html


def test_hides_archived_spaces_from_members(client: Client) -> None:
    SpaceFactory(name="閉鎖済み", archived_at=timezone.now())
    assert "閉鎖済み" not in client.get(URL).content.decode()


def test_shows_subgroups_under_their_parent_not_as_their_own_card(client: Client) -> None:
    parent = SpaceFactory(name="親スペース")
    SpaceFactory(name="子グループ", parent=parent)
    response = client.get(URL)
    assert [space.name for space in response.context["page"]] == ["親スペース"]
    assert "子グループ" in response.content.decode()


def test_filters_by_access_type(client: Client) -> None:
    SpaceFactory(name="オープン広場", access_type=AccessType.OPEN)
    SpaceFactory(name="お客様ラウンジ", access_type=AccessType.PRIVATE)
    response = client.get(URL, {"type": AccessType.PRIVATE})
    assert [space.name for space in response.context["page"]] == ["お客様ラウンジ"]


def test_searches_by_name_including_subgroups(client: Client) -> None:
    parent = SpaceFactory(name="製品ユーザー会")
    SpaceFactory(name="請求の相談", parent=parent)
    SpaceFactory(name="雑談")
    response = client.get(URL, {"q": "請求"})
    assert [space.name for space in response.context["page"]] == ["請求の相談"]
    assert "Sub-group of 製品ユーザー会" in response.content.decode()


def test_shows_an_empty_state_when_nothing_matches(client: Client) -> None:
    SpaceFactory(name="雑談")
    html = client.get(URL, {"q": "存在しない"}).content.decode()
    assert "No space matches your search." in html


def test_shows_an_empty_state_when_there_are_no_spaces(client: Client) -> None:
    assert "There are no spaces yet." in client.get(URL).content.decode()


def test_paginates_and_keeps_the_filter_in_page_links(client: Client) -> None:
    for number in range(30):
        SpaceFactory(name=f"スペース{number:02d}", access_type=AccessType.OPEN)
    response = client.get(URL, {"type": AccessType.OPEN, "page": 2})
    assert len(response.context["page"]) == 5
    assert "?type=open&amp;page=1" in response.content.decode()


def test_marks_the_spaces_the_member_joined(client: Client) -> None:
    member = MemberFactory()
    joined = SpaceFactory(name="参加中")
    SpaceFactory(name="未参加")
    MembershipFactory(space=joined, member=member)
    client.force_login(member)
    flags = {space.name: space.is_member for space in client.get(URL).context["page"]}
    assert flags == {"参加中": True, "未参加": False}


def test_shows_the_create_button_only_to_staff_who_manage_spaces(client: Client) -> None:
    create_url = reverse("spaces:space-create")
    client.force_login(MemberFactory())
    assert create_url not in client.get(URL).content.decode()
    client.force_login(StaffFactory(staff_role="sales"))
    assert create_url not in client.get(URL).content.decode()
    client.force_login(StaffFactory(staff_role="community_manager"))
    assert create_url in client.get(URL).content.decode()


def test_query_count_does_not_grow_with_spaces_and_subgroups(
    client: Client, django_assert_num_queries: AssertNumQueries
) -> None:
    member = MemberFactory()
    client.force_login(member)
    for _ in range(3):
        parent = SpaceFactory()
        SpaceFactory(parent=parent)
    client.get(URL)
    with django_assert_num_queries(QUERIES_SIGNED_IN) as captured:
        client.get(URL)
    for _ in range(5):
        parent = SpaceFactory()
        MembershipFactory(space=parent, member=member)
        SpaceFactory(parent=parent)
        SpaceFactory(parent=parent)
    with django_assert_num_queries(len(captured.captured_queries)):
        client.get(URL)
