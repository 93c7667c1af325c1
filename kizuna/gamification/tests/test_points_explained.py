"""The recognition page tells members how points are earned: the active rules, in words."""

import pytest
from django.test import Client
from django.urls import reverse

from kizuna.gamification.models import PointRule
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db
ME = reverse("gamification:my-recognition")


def _how_points_are_earned(member: Member) -> str:
    client = Client()
    client.force_login(member)
    html = client.get(ME).content.decode()
    return html.split('id="how-points-are-earned"', 1)[1].split("</section>", 1)[0]


@pytest.mark.usefixtures("english")
def test_active_rules_are_listed_with_points_and_daily_cap_in_english() -> None:
    PointRule.objects.filter(key="like_received").update(is_active=False)

    section = _how_points_are_earned(MemberFactory(language="en"))

    assert "Answered</span>" in section and "+5 points" in section
    assert "(up to 50 points a day)" in section
    assert "Spoke at an event" in section and "+50 points" in section
    assert "Like received" not in section
    assert "at most 3 times in 30 days" in section


def test_active_rules_are_listed_in_japanese() -> None:
    section = _how_points_are_earned(MemberFactory(language="ja"))

    assert "回答を投稿</span>" in section and "+5ポイント" in section
    assert "いいねを獲得" in section
    assert "Answered" not in section


def test_a_rule_changed_by_staff_reads_as_changed() -> None:
    PointRule.objects.filter(key="answered").update(points=8, daily_cap=None)

    section = _how_points_are_earned(MemberFactory(language="ja"))

    assert "回答を投稿</span><span><strong" in section and "+8ポイント</strong></span>" in section


@pytest.mark.usefixtures("english")
def test_staff_left_off_the_boards_are_told_so_instead_of_offered_the_choice() -> None:
    client = Client()
    client.force_login(StaffFactory(staff_role="csm", language="en"))

    html = client.get(ME).content.decode()

    assert "Community team members are not ranked on the leaderboards" in html
    assert 'name="show_on_leaderboards"' not in html
