"""The Customer 360: its figures on a hand-built account, the same numbers on the page and in
the API, who sees economics, and a bounded number of queries."""

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kizuna.activity.models import Activity
from kizuna.ambassadors.models import Ambassador
from kizuna.cohorts.models import (
    Element,
    ElementKind,
    ObjectiveStatus,
    Participant,
    Phase,
    ProjectMap,
)
from kizuna.cohorts.tests.factories import ProgrammeFactory
from kizuna.content.models import ContentStatus, PostType
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.customers.models import AccountChange, CustomerAccount, CustomField
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.events.models import Attendance
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.plays.models import PlayStatus
from kizuna.plays.tests.factories import PlayFactory, rule
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory
from kizuna.success.selectors import account_figures, weekly_activity
from kizuna.success.tests.factories import PlanFactory
from tests.api.conftest import make_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
TOKYO = ZoneInfo("Asia/Tokyo")


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


@dataclass
class World:
    acme: CustomerAccount
    alice: Member
    bob: Member
    carol: Member
    dave: Member  # of another account


def _activity(
    member: Member, account: CustomerAccount, when: dt.datetime, verb: str = "viewed"
) -> Activity:
    return Activity.objects.create(
        actor=member, verb=verb, object_type="post", account_id=account.pk, occurred_at=when
    )


@pytest.fixture
def world() -> World:
    """Acme (Standard plan, ARR ¥12,000,000) with Alice, Bob and Carol; Beta with Dave.

    Worked out by hand:
    - members 3; active in 30 days 1 (Alice, 2 and 10 days ago); in 90 days 2 (+ Bob, 40 days
      ago; Carol's 100 days ago is outside); Dave's activity is Beta's
    - questions 2 (Alice's two; Bob's hidden one does not count; Dave's is Beta's)
    - answers 1 (Bob's answer to Dave's question; Carol's reply in a discussion is no answer)
    - case studies 1 (Carol's; Alice's deleted one does not count)
    - events attended in 90 days 1 (Alice, 10 days ago; Bob's was 120 days ago, Carol was a
      no-show, Dave is Beta's); in all 2
    """
    standard = PlanFactory(name="Standard", rank=1)
    acme = CustomerAccountFactory(
        name="アクメ株式会社", plan=standard, arr_minor=12_000_000, mrr_minor=1_000_000
    )
    beta = CustomerAccountFactory(name="ベータ株式会社")
    alice = make_customer(account=acme, display_name="有村アリス")
    bob = make_customer(account=acme, display_name="坊野ボブ")
    carol = make_customer(account=acme, display_name="香椎キャロル")
    dave = make_customer(account=beta, display_name="出羽デイブ")

    _activity(alice, acme, days_ago(2))
    _activity(alice, acme, days_ago(10), verb="posted")
    _activity(bob, acme, days_ago(40))
    _activity(carol, acme, days_ago(100))
    _activity(dave, beta, days_ago(1))

    space = SpaceFactory(name="ユーザー会")
    PostFactory(author=alice, space=space, title="請求書の締め日を変えたい")
    PostFactory(author=alice, space=space, title="SSOの設定について")
    PostFactory(author=bob, space=space, status=ContentStatus.HIDDEN)
    daves = PostFactory(author=dave, space=space)
    discussion = PostFactory(author=alice, space=space, post_type=PostType.DISCUSSION)
    AnswerFactory(post=daves, author=bob)
    AnswerFactory(post=discussion, author=carol)
    PostFactory(author=carol, space=space, post_type=PostType.CASE_STUDY, title="経費精算の事例")
    PostFactory(
        author=alice, space=space, post_type=PostType.CASE_STUDY, status=ContentStatus.DELETED
    )

    recent = EventFactory(
        space=space, title="ユーザー会 3月", starts_at=days_ago(10), ends_at=days_ago(9.9)
    )
    old = EventFactory(space=space, starts_at=days_ago(120), ends_at=days_ago(119.9))
    RegistrationFactory(event=recent, member=alice, attendance=Attendance.ATTENDED)
    RegistrationFactory(event=old, member=bob, attendance=Attendance.ATTENDED)
    RegistrationFactory(event=recent, member=carol, attendance=Attendance.NO_SHOW)
    RegistrationFactory(event=recent, member=dave, attendance=Attendance.ATTENDED)
    return World(acme=acme, alice=alice, bob=bob, carol=carol, dave=dave)


def test_figures_are_the_hand_counted_ones(world: World) -> None:
    figures = account_figures(world.acme)
    assert figures.members == 3
    assert figures.active_30_days == 1
    assert figures.active_90_days == 2
    assert figures.questions == 2
    assert figures.answers == 1
    assert figures.case_studies == 1
    assert figures.events_attended_90_days == 1
    assert figures.events_attended == 2


def test_weekly_activity_counts_each_week_monday_to_sunday_in_tokyo() -> None:
    account = CustomerAccountFactory()
    other = CustomerAccountFactory()
    member = make_customer(account=account)
    now = dt.datetime(2026, 3, 18, 12, 0, tzinfo=TOKYO)  # a Wednesday
    for when in (
        dt.datetime(2026, 3, 16, 0, 5, tzinfo=TOKYO),  # this week's Monday, just after midnight
        dt.datetime(2026, 3, 18, 9, 0, tzinfo=TOKYO),
        dt.datetime(2026, 3, 15, 23, 55, tzinfo=TOKYO),  # last week's Sunday, Tokyo time
        dt.datetime(2026, 3, 2, 10, 0, tzinfo=TOKYO),  # three weeks back
        dt.datetime(2025, 9, 14, 10, 0, tzinfo=TOKYO),  # 27 weeks back: before the chart
    ):
        _activity(member, account, when)
    _activity(member, other, dt.datetime(2026, 3, 17, tzinfo=TOKYO))

    points = weekly_activity(account, now=now)

    assert len(points) == 26
    assert points[-1].start == dt.date(2026, 3, 16)
    assert points[0].start == dt.date(2025, 9, 22)
    by_week = {point.start: point.value for point in points}
    assert by_week[dt.date(2026, 3, 16)] == 2
    assert by_week[dt.date(2026, 3, 9)] == 1
    assert by_week[dt.date(2026, 3, 2)] == 1
    assert sum(by_week.values()) == 4


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    return staff


def url(account: CustomerAccount) -> str:
    return reverse("success:account-360", args=[account.pk])


def _figure(html: str, label: str) -> int:
    match = re.search(rf"<strong>(\d+)</strong><span>{re.escape(label)}</span>", html)
    assert match, label
    return int(match.group(1))


def test_page_shows_the_figures_and_the_api_the_same_numbers(
    client: Client, world: World, csm: Member
) -> None:
    html = client.get(url(world.acme)).content.decode()
    summary = client.get(f"/api/accounts/{world.acme.pk}/summary").json()

    on_page = {
        "members": _figure(html, "Members"),
        "active_members_30_days": _figure(html, "Active in 30 days"),
        "active_members_90_days": _figure(html, "Active in 90 days"),
        "questions": _figure(html, "Questions asked"),
        "answers": _figure(html, "Answers given"),
        "case_studies": _figure(html, "Case studies"),
        "events_attended_90_days": _figure(html, "Events attended in 90 days"),
    }
    assert on_page == {
        "members": 3,
        "active_members_30_days": 1,
        "active_members_90_days": 2,
        "questions": 2,
        "answers": 1,
        "case_studies": 1,
        "events_attended_90_days": 1,
    }
    assert {key: summary[key] for key in on_page} == on_page
    assert len(summary["weekly_activity"]) == 26
    # The chart's table and the API's series: Alice's, Bob's and Carol's four actions.
    assert sum(week["actions"] for week in summary["weekly_activity"]) == 4


def test_page_lists_members_sections_and_economics_for_a_csm(
    client: Client, world: World, csm: Member
) -> None:
    response = client.get(url(world.acme))
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("有村アリス", "坊野ボブ", "香椎キャロル", "請求書の締め日を変えたい"):
        assert text in html
    assert "経費精算の事例" in html
    assert "ユーザー会 3月" in html
    assert "出羽デイブ" not in html
    assert "¥12,000,000" in html
    assert 'data-chart="c360-activity-spec"' in html
    assert 'id="c360-activity-spec" type="application/json"' in html
    # The most recently active member first.
    assert html.index("有村アリス") < html.index("坊野ボブ") < html.index("香椎キャロル")


def test_marketing_sees_the_360_without_arr_tier_or_signals(client: Client, world: World) -> None:
    marketer = StaffFactory(staff_role="marketing")
    client.force_login(marketer)
    AccountChange.objects.create(
        account=world.acme, field="arr_minor", old_value="", new_value="12000000", source="import"
    )
    AccountChange.objects.create(
        account=world.acme, field="industry", old_value="", new_value="製造業", source="import"
    )
    response = client.get(url(world.acme))
    html = response.content.decode()
    assert response.status_code == 200
    assert "有村アリス" in html
    assert "製造業" in html  # a history row that is not economics
    assert "12,000,000" not in html
    assert "ARR" not in html
    assert "Touch tier" not in html
    assert "data-economics" not in html
    assert "Expansion signals" not in html


def test_marketing_gets_nothing_economic_from_the_api(client: Client, world: World) -> None:
    marketer = StaffFactory(staff_role="marketing")
    key = make_key(marketer, [ApiKey.Scope.SUCCESS_READ])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    summary = client.get(f"/api/accounts/{world.acme.pk}/summary", **auth)
    assert summary.status_code == 200
    assert summary.json()["open_plays"] is None
    assert "arr" not in summary.content.decode().lower()
    assert client.get("/api/expansion-signals", **auth).status_code == 403


def test_a_member_cannot_open_the_360_or_its_api(client: Client, world: World) -> None:
    client.force_login(world.alice)
    assert client.get(url(world.acme)).status_code == 403
    assert client.get(f"/api/accounts/{world.acme.pk}/summary").status_code in {403, 404}
    assert client.get("/api/expansion-signals").status_code in {403, 404}


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(url(world.acme))
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_an_unknown_account_is_404(client: Client, csm: Member) -> None:
    assert client.get(reverse("success:account-360", args=[999_999])).status_code == 404
    assert client.get("/api/accounts/999999/summary").status_code == 404


def test_every_section_says_when_it_is_empty(client: Client, csm: Member) -> None:
    empty = CustomerAccountFactory(name="新規株式会社")
    html = client.get(url(empty)).content.decode()
    for text in (
        "No members are linked to this account yet.",
        "No member of this account has done anything in the community in these weeks.",
        "No questions from this account yet.",
        "No answers from this account yet.",
        "No case studies from this account yet.",
        "No member of this account has attended an event yet.",
        "No changes recorded yet.",
        "This account has no project map in a learning programme.",
        "No member of this account is in the ambassador programme.",
        "No member of this account has joined a space.",
        "Record the account's plan to see expansion signals",
    ):
        assert text in html, text
    assert "data-chart" not in html


def test_cohort_projects_ambassadors_and_spaces_appear(
    client: Client, world: World, csm: Member
) -> None:
    programme = ProgrammeFactory()
    participant = Participant.objects.create(
        programme=programme, member=world.alice, account=world.acme
    )
    project_map = ProjectMap.objects.create(participant=participant, title="経費精算の電子化")
    phase = Phase.objects.create(project_map=project_map, number=1)
    for status in (ObjectiveStatus.ACHIEVED, ObjectiveStatus.ON_TRACK, ObjectiveStatus.ACHIEVED):
        Element.objects.create(phase=phase, kind=ElementKind.OBJECTIVE, text="目標", status=status)
    Element.objects.create(
        phase=phase, kind=ElementKind.OBJECTIVE, text="目標", status=ObjectiveStatus.NOT_STARTED
    )
    Ambassador.objects.create(member=world.bob)
    Ambassador.objects.create(member=world.carol, status=Ambassador.Status.RETIRED)
    community = SpaceFactory(name="経理の部屋")
    MembershipFactory(space=community, member=world.alice)
    MembershipFactory(space=community, member=world.bob)
    MembershipFactory(space=community, member=MemberFactory())

    html = client.get(url(world.acme)).content.decode()

    # 2 of the 4 objectives of phase 1 are achieved.
    assert "50%" in html
    assert "2 of 4 objectives achieved in phase 1" in html
    ambassadors = html[html.index('id="c360-ambassadors"') : html.index('id="c360-spaces"')]
    assert "坊野ボブ" in ambassadors
    assert "香椎キャロル" not in ambassadors
    assert "経理の部屋" in html
    assert "2 members from this account" in html


def test_renewal_shows_the_days_to_go(client: Client, csm: Member) -> None:
    today = timezone.localdate(timezone.now(), TOKYO)
    account = CustomerAccountFactory(renewal_date=today + dt.timedelta(days=45))
    assert "in 45 days" in client.get(url(account)).content.decode()


def test_the_page_costs_a_bounded_number_of_queries(
    client: Client, world: World, csm: Member, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    client.get(url(world.acme))  # warm up what is loaded once per process
    with django_assert_max_num_queries(30) as first:
        client.get(url(world.acme))
    for _ in range(15):
        member = make_customer(account=world.acme)
        _activity(member, world.acme, days_ago(3))
        PostFactory(author=member)
        RegistrationFactory(member=member, attendance=Attendance.ATTENDED)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(url(world.acme))


def test_plays_show_to_a_csm_and_count_in_the_api_but_not_for_marketing(
    client: Client, world: World, csm: Member
) -> None:
    PlayFactory(account=world.acme)  # open
    PlayFactory(
        account=world.acme,
        rule=rule("no_recent_event"),
        status=PlayStatus.SNOOZED,
        snoozed_until=timezone.localdate() + dt.timedelta(days=7),
    )  # live, but not open
    PlayFactory(
        account=world.acme,
        rule=rule("contacts_not_joined"),
        status=PlayStatus.DONE,
        closed_at=days_ago(5),
        closed_by=csm,
    )
    PlayFactory(account=CustomerAccountFactory())  # another account's

    html = client.get(url(world.acme)).content.decode()
    plays = html[html.index('id="c360-plays"') :]
    assert "High touch account, but no member is in the ambassador programme" in plays
    assert plays.count('<span class="badge">') >= 3
    assert client.get(f"/api/accounts/{world.acme.pk}/summary").json()["open_plays"] == 1

    client.force_login(StaffFactory(staff_role="marketing"))
    html = client.get(url(world.acme)).content.decode()
    assert 'id="c360-plays"' not in html
    assert "ambassador programme" not in html.split('id="c360-ambassadors"')[0]


def test_recent_changes_read_in_words(client: Client, world: World, csm: Member) -> None:
    CustomField.objects.create(key="contract_kind", label="契約形態", kind="text")
    AccountChange.objects.create(
        account=world.acme,
        field="arr_minor",
        old_value="10000000",
        new_value="12000000",
        source="import",
    )
    AccountChange.objects.create(
        account=world.acme,
        field="lifecycle_stage",
        old_value="onboarding",
        new_value="adoption",
        source="form",
    )
    AccountChange.objects.create(
        account=world.acme,
        field="custom:contract_kind",
        old_value="",
        new_value="年契約",
        source="api",
    )
    html = client.get(url(world.acme)).content.decode()
    history = html[html.index('id="c360-history"') : html.index('id="c360-cohorts"')]
    assert "¥10,000,000 → ¥12,000,000" in history
    assert "Onboarding → Adoption" in history
    assert "契約形態" in history and "年契約" in history
