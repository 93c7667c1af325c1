"""The directory in the order a Japanese member reads names: by reading, kana before kanji before Latin."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = reverse("directory:directory")


def names_on_page(response: Any) -> list[str]:
    return [card["member"].display_name for card in response.context["cards"]]


@pytest.fixture
def viewer(client: Client) -> Member:
    member = MemberFactory(display_name="あ", name_reading="あ")
    client.force_login(member)
    return member


def test_names_sort_by_reading_then_kanji_then_latin(client: Client, viewer: Member) -> None:
    MemberFactory(display_name="Brown")
    MemberFactory(display_name="山田 花子", name_reading="やまだ はなこ")
    MemberFactory(display_name="阿部 健", name_reading="あべ けん")
    MemberFactory(display_name="伊藤")
    MemberFactory(display_name="adams")
    MemberFactory(display_name="サトウ")

    names = names_on_page(client.get(URL))

    # 阿部 reads あべ and so comes first among the kanji names; 伊藤 has no reading and sorts
    # among the kanji after every name with kana; Latin names come last, case-blind.
    assert names == ["あ", "阿部 健", "サトウ", "山田 花子", "伊藤", "adams", "Brown"]


def test_a_katakana_or_half_width_search_finds_the_reading(client: Client, viewer: Member) -> None:
    MemberFactory(display_name="山田 花子", name_reading="やまだ はなこ")
    MemberFactory(display_name="佐藤 一郎", name_reading="さとう いちろう")

    assert names_on_page(client.get(URL, {"q": "ヤマダ"})) == ["山田 花子"]
    assert names_on_page(client.get(URL, {"q": "ｻﾄｳ"})) == ["佐藤 一郎"]
    assert names_on_page(client.get(URL, {"q": "花子"})) == ["山田 花子"]
