from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.content.tests.factories import AnswerFactory
from kizuna.core.models import AuditEntry
from kizuna.gamification.models import MemberRecognitionSettings, PointRule
from kizuna.gamification.services import AwardContext, award_points
from kizuna.gamification.views import LEADERBOARD_PAGE_SIZE
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
HTMX = {"HTTP_HX_REQUEST": "true"}
ME = reverse("gamification:my-recognition")
BOARD = reverse("gamification:leaderboard")
QUERIES_LEADERBOARD = 7


def give(
    member: Member, key: str, rule_key: str = "event_spoke", space_id: int | None = None
) -> None:
    award_points(
        member=member,
        rule_key=rule_key,
        source=None,
        idempotency_key=key,
        context=AwardContext(space_id=space_id),
    )


def test_my_recognition_shows_points_level_and_exactly_what_is_left(client: Client) -> None:
    member = MemberFactory()
    give(member, "a")
    client.force_login(member)
    html = client.get(ME).content.decode()
    assert "50 more points to reach Silver." in html
    assert 'aria-valuenow="50"' in html
    assert "Spoke at an event" in html


def test_my_recognition_history_page_as_htmx_fragment(client: Client) -> None:
    member = MemberFactory()
    give(member, "a")
    client.force_login(member)
    response = client.get(ME, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "+50" in html
    assert "more points to reach" not in html


def test_my_recognition_asks_anonymous_visitors_to_sign_in(client: Client) -> None:
    response = client.get(ME)
    assert response.status_code == 302 and "login" in response["Location"]


def test_opting_out_hides_the_member_from_leaderboards(client: Client) -> None:
    shy, proud = MemberFactory(), MemberFactory()
    give(shy, "s")
    give(proud, "p")
    client.force_login(shy)
    client.post(reverse("gamification:leaderboard-visibility"), {})
    assert MemberRecognitionSettings.objects.get(member=shy).show_on_leaderboards is False
    # The viewer's own name is in the header's account menu; only the board itself counts.
    board = client.get(BOARD).content.decode().split('id="main"', 1)[1]
    assert proud.name in board and shy.name not in board


def test_space_board_is_404_for_viewers_who_cannot_see_the_space(client: Client) -> None:
    private = SpaceFactory(access_type=AccessType.APPLICATION)
    insider = MemberFactory()
    give(insider, "i", space_id=private.pk)
    outsider = MemberFactory()
    client.force_login(outsider)
    assert client.get(BOARD, {"space": private.slug}).status_code == 404
    # Nor on this month's community board; all time, the board shows lifetime points.
    assert insider.name not in client.get(BOARD, {"period": "month"}).content.decode()
    MembershipFactory(space=private, member=outsider)
    html = client.get(BOARD, {"space": private.slug}).content.decode()
    assert insider.name in html


def test_space_board_counts_only_that_space(client: Client) -> None:
    one, other = SpaceFactory(), SpaceFactory()
    in_one, in_other = MemberFactory(), MemberFactory()
    give(in_one, "1", space_id=one.pk)
    give(in_other, "2", space_id=other.pk)
    html = client.get(BOARD, {"space": one.slug}).content.decode()
    assert in_one.name in html and in_other.name not in html


def test_leaderboard_htmx_fragment_and_monthly_period(client: Client) -> None:
    give(MemberFactory(display_name="今月の人"), "m")
    response = client.get(BOARD, {"period": "month"}, **HTMX)
    html = response.content.decode()
    assert "<html" not in html and "今月の人" in html


def test_leaderboard_pages_link_previous_and_next_without_counting(client: Client) -> None:
    for index in range(LEADERBOARD_PAGE_SIZE + 1):
        give(MemberFactory(display_name=f"member {index:02d}"), f"k{index}")
    first = client.get(BOARD).content.decode()
    second = client.get(BOARD, {"page": "2"}).content.decode()
    past_the_end = client.get(BOARD, {"page": "3"}).content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert f'<td class="numeric">{LEADERBOARD_PAGE_SIZE + 1}</td>' in second
    assert "past the end of the leaderboard" in past_the_end and 'rel="prev"' in past_the_end
    assert "Page 2" in second and "Page 2 of" not in second


def _leaderboard_queries(client: Client, rows: int) -> int:
    for index in range(rows):
        give(MemberFactory(), f"k{rows}-{index}")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(BOARD)
    assert response.status_code == 200
    return len(queries)


def test_leaderboard_query_count_does_not_grow_with_rows(client: Client) -> None:
    assert _leaderboard_queries(client, 1) == _leaderboard_queries(client, 30)


def test_leaderboard_query_count_for_a_signed_in_member(
    client: Client, django_assert_num_queries: Any
) -> None:
    for index in range(30):
        give(MemberFactory(), f"k{index}")
    client.force_login(MemberFactory())
    with django_assert_num_queries(QUERIES_LEADERBOARD):
        response = client.get(BOARD)
    assert response.content.decode().count('class="badge level-badge"') == 30


def test_staff_edit_a_rule_and_it_is_audited(client: Client) -> None:
    staff = StaffFactory(staff_role="community_manager")
    client.force_login(staff)
    rule = PointRule.objects.get(key="answered")
    url = reverse("gamification:staff-point-rule-edit", args=[rule.pk])
    assert client.get(reverse("gamification:staff-point-rules")).status_code == 200
    response = client.post(url, {"points": "7", "daily_cap": "", "is_active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.points, rule.daily_cap, rule.is_active) == (7, None, True)
    audit = AuditEntry.objects.get(action="gamification.point_rule_changed")
    assert audit.details["before"]["points"] == 5


def test_members_without_the_capability_cannot_edit_rules(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="moderator"))
    rule = PointRule.objects.get(key="answered")
    url = reverse("gamification:staff-point-rule-edit", args=[rule.pk])
    assert client.post(url, {"points": "99", "is_active": "on"}).status_code == 403
    rule.refresh_from_db()
    assert rule.points == 5
    assert not AuditEntry.objects.exists()


def test_level_badges_of_a_page_of_authors_cost_one_query(
    rf: Any, django_assert_num_queries: Any
) -> None:
    answers = AnswerFactory.create_batch(5)
    give(answers[0].author, "a")
    give(answers[0].author, "b")
    template = Template(
        "{% load gamification %}{% for answer in answers %}{% member_level answer.author %}{% endfor %}"
    )
    request = rf.get("/")
    authors = [answer.author for answer in answers]  # loaded before, as a view would
    with django_assert_num_queries(1):
        html = template.render(Context({"answers": answers, "request": request}))
    assert html.count("level-badge") == 5
    assert "Silver" in html and html.count("Bronze") == 4
    assert len(authors) == 5
