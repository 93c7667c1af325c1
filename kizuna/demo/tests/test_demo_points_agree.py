"""In the loaded demo, the leaderboard and the profiles give each member one points figure."""

from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.management import call_command
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from pytest_django import DjangoDbBlocker

from kizuna.demo import data
from kizuna.gamification.selectors import LeaderboardPeriod, get_lifetime_points, leaderboard
from kizuna.gamification.views import LEADERBOARD_PAGE_SIZE
from kizuna.identity.models import Member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(scope="module")
def demo_with_recognition(
    django_db_setup: None,
    django_db_blocker: DjangoDbBlocker,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    """The whole demo as `load_demo` loads it (community, recognition, contests), once.

    Loaded in a transaction rolled back when the module ends, as in conftest's `demo`.
    """
    media = override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media")))
    with media, django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", "--seed", "7", "--volume", "small", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _board_row(html: str, member: Member) -> str:
    link = f'href="{reverse("identity:member-profile", args=[member.pk])}"'
    rows = [row for row in html.split("<tr>")[1:] if link in row]
    assert len(rows) == 1
    return rows[0]


@pytest.mark.usefixtures("demo_with_recognition")
def test_the_customer_login_is_on_the_first_page_with_her_lifetime_points() -> None:
    hanako = Member.objects.get(email=data.CUSTOMER_LOGIN.email)

    html = Client().get(reverse("gamification:leaderboard")).content.decode()

    assert f'leaderboard-points">{intcomma(get_lifetime_points(hanako))}<' in _board_row(
        html, hanako
    )


@pytest.mark.usefixtures("demo_with_recognition")
def test_the_leader_shows_on_the_board_what_her_profile_says() -> None:
    viewer = Client()
    viewer.force_login(Member.objects.get(email=data.NON_CUSTOMER_LOGIN.email))
    leader = leaderboard(viewer=AnonymousUser(), period=LeaderboardPeriod.ALL, limit=1).rows[0]
    member = Member.objects.get(pk=leader.member_id)

    board = viewer.get(reverse("gamification:leaderboard")).content.decode()
    profile = viewer.get(reverse("identity:member-profile", args=[member.pk])).content.decode()

    shown = intcomma(get_lifetime_points(member))
    assert leader.total == get_lifetime_points(member)
    assert f'leaderboard-points">{shown}<' in _board_row(board, member)
    assert f'class="recognition-points">{shown}<' in profile


@pytest.mark.usefixtures("demo_with_recognition")
def test_no_staff_member_is_ranked_on_the_demo_boards() -> None:
    staff = set(Member.objects.exclude(staff_role="").values_list("pk", flat=True))

    for period in LeaderboardPeriod:
        board = leaderboard(viewer=AnonymousUser(), period=period, limit=LEADERBOARD_PAGE_SIZE)
        assert not staff & {row.member_id for row in board.rows}
