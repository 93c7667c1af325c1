"""Expansion signals on a hand-built fixture: members of an account asking about, reacting to or
commenting on content tagged with a capability of a plan above their account's."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kizuna.content.models import Comment, ContentStatus, Post, Reaction, Tag
from kizuna.content.tests.factories import AnswerFactory, CommentFactory, PostFactory, TagFactory
from kizuna.core.models import AuditEntry
from kizuna.customers.models import CustomerAccount, Plan
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.success.models import PlanCapabilityTag
from kizuna.success.selectors import account_signals, accounts_with_signals
from kizuna.success.tests.factories import PlanCapabilityTagFactory, PlanFactory
from tests.api.conftest import make_key

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def days_ago(days: float) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def _at(obj: Post | Comment | Reaction, when: dt.datetime) -> None:
    type(obj).objects.filter(pk=obj.pk).update(created_at=when)


def _post(author: Member, tags: list[Tag], *, days: float, **fields: object) -> Post:
    post = PostFactory(author=author, **fields)
    post.tags.set(tags)
    _at(post, days_ago(days))
    return post


def _react(member: Member, *, days: float, **target: object) -> None:
    reaction = Reaction.objects.create(member=member, **target)
    _at(reaction, days_ago(days))


def _comment(member: Member, post: Post, *, days: float) -> None:
    _at(CommentFactory(author=member, post=post), days_ago(days))


@dataclass
class Fixture:
    starter: Plan
    standard: Plan
    enterprise: Plan
    acme: CustomerAccount
    beta: CustomerAccount
    zeta: CustomerAccount


@pytest.fixture
def fixture() -> Fixture:
    """Plans Starter < Standard < Enterprise; SSO is Enterprise's, API Standard's; 監査ログ is
    mapped to Enterprise and to Standard, so it is Standard's (the lowest plan that has it).

    Acme (Standard) — 4 signals, worked out by hand:
      1. Alice asked a question tagged SSO 5 days ago                      → SSO / Enterprise
      2. Bob liked Dave's SSO post 3 days ago                              → SSO / Enterprise
      3. Bob liked an answer in an SSO thread 2 days ago                   → SSO / Enterprise
      4. Carol commented on Dave's SSO post yesterday                      → SSO / Enterprise
      not: Alice's API question (Standard: their own plan), Carol's comment 100 days ago,
      Carol's comment on a 監査ログ post (Standard's), Alice's hidden SSO question, Bob's
      like of an untagged post
    Beta (Starter, ARR ¥1,000,000) — 1 signal: Dave asked about the API (Standard > Starter)
    Zeta (Starter, ARR ¥3,000,000) — 1 signal: Zed liked Alice's API question
    Gamma (Enterprise) — none: Eve asked about SSO, which her plan has
    Delta (no plan recorded) — none: Dan asked about SSO, but the account's plan is unknown
    """
    starter = PlanFactory(name="Starter", rank=0)
    standard = PlanFactory(name="Standard", rank=1)
    enterprise = PlanFactory(name="Enterprise", rank=2)
    sso: Tag = TagFactory(name="SSO", slug="sso")
    api: Tag = TagFactory(name="API", slug="api")
    audit: Tag = TagFactory(name="監査ログ", slug="監査ログ")
    PlanCapabilityTagFactory(plan=enterprise, tag=sso)
    PlanCapabilityTagFactory(plan=standard, tag=api)
    PlanCapabilityTagFactory(plan=enterprise, tag=audit)
    PlanCapabilityTagFactory(plan=standard, tag=audit)

    acme = CustomerAccountFactory(name="アクメ", plan=standard, arr_minor=20_000_000)
    beta = CustomerAccountFactory(name="ベータ", plan=starter, arr_minor=1_000_000)
    zeta = CustomerAccountFactory(name="ゼータ", plan=starter, arr_minor=3_000_000)
    gamma = CustomerAccountFactory(name="ガンマ", plan=enterprise)
    delta = CustomerAccountFactory(name="デルタ", plan=None)
    alice, bob, carol = (make_customer(account=acme) for _ in range(3))
    dave = make_customer(account=beta)
    zed = make_customer(account=zeta)
    eve = make_customer(account=gamma)
    dan = make_customer(account=delta)
    outsider = MemberFactory()

    _post(alice, [sso], days=5)  # 1
    daves_sso = _post(dave, [sso], days=30, post_type="discussion")
    _react(bob, post=daves_sso, days=3)  # 2
    sso_question = _post(outsider, [sso], days=20)
    answer = AnswerFactory(post=sso_question, author=outsider)
    _react(bob, post=sso_question, answer=answer, days=2)  # 3
    _comment(carol, daves_sso, days=1)  # 4
    alices_api = _post(alice, [api], days=4)
    _comment(carol, daves_sso, days=100)
    _comment(carol, _post(outsider, [audit], days=10), days=6)
    _post(alice, [sso], days=5, status=ContentStatus.HIDDEN)
    _react(bob, post=_post(outsider, [], days=10), days=2)

    _post(dave, [api], days=7)
    _react(zed, post=alices_api, days=8)
    _post(eve, [sso], days=3)
    _post(dan, [sso], days=3)
    return Fixture(starter, standard, enterprise, acme, beta, zeta)


def test_the_accounts_signals_are_the_hand_counted_ones(fixture: Fixture) -> None:
    signals = account_signals(fixture.acme)
    assert signals.total == 4
    assert [(s.kind, s.tag_name, s.plan_name) for s in signals.latest] == [
        ("comment", "SSO", "Enterprise"),
        ("reaction", "SSO", "Enterprise"),
        ("reaction", "SSO", "Enterprise"),
        ("question", "SSO", "Enterprise"),
    ]


def test_the_list_sorts_by_signals_then_arr(fixture: Fixture) -> None:
    page = accounts_with_signals(offset=0, limit=25)
    assert page.total == 3
    assert [(row.name, row.signal_count) for row in page.rows] == [
        ("アクメ", 4),
        ("ゼータ", 1),  # ARR ¥3,000,000 before Beta's ¥1,000,000
        ("ベータ", 1),
    ]
    acme = page.rows[0]
    assert acme.member_count == 3
    assert acme.capabilities == ["SSO"]
    assert acme.plan_name == "Standard"
    second = accounts_with_signals(offset=1, limit=1)
    assert [row.name for row in second.rows] == ["ゼータ"]
    assert second.total == 3


def test_own_plan_and_old_actions_are_no_signal(fixture: Fixture) -> None:
    # Moving Acme up to Enterprise leaves nothing above it to want.
    CustomerAccount.objects.filter(pk=fixture.acme.pk).update(plan=fixture.enterprise)
    assert account_signals(fixture.acme).total == 0
    # A churned account is not an expansion prospect.
    CustomerAccount.objects.filter(pk=fixture.beta.pk).update(status="churned")
    assert [row.name for row in accounts_with_signals(offset=0, limit=25).rows] == ["ゼータ"]


def test_the_list_page_is_for_staff_who_see_economics(client: Client, fixture: Fixture) -> None:
    client.force_login(StaffFactory(staff_role="sales"))
    response = client.get(reverse("success:expansion-signals"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("アクメ") < html.index("ゼータ") < html.index("ベータ")
    assert "¥20,000,000" in html
    assert reverse("success:account-360", args=[fixture.acme.pk]) in html
    client.force_login(StaffFactory(staff_role="marketing"))
    assert client.get(reverse("success:expansion-signals")).status_code == 403


def test_the_list_page_says_when_there_are_none(client: Client) -> None:
    client.force_login(StaffFactory(staff_role="csm"))
    html = client.get(reverse("success:expansion-signals")).content.decode()
    assert "No expansion signals in this period." in html


def test_the_list_page_is_one_query_for_its_rows(
    client: Client, fixture: Fixture, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    staff = StaffFactory(staff_role="csm")
    client.force_login(staff)
    client.get(reverse("success:expansion-signals"))
    # session, member, TOTP check, the list (rows and total together)
    with django_assert_num_queries(4):
        client.get(reverse("success:expansion-signals"))


def test_the_360_shows_the_signals_with_who_what_and_a_link(
    client: Client, fixture: Fixture
) -> None:
    client.force_login(StaffFactory(staff_role="csm"))
    html = client.get(reverse("success:account-360", args=[fixture.acme.pk])).content.decode()
    section = html[html.index('id="c360-signals"') :]
    assert section.count('<span class="tag">SSO</span>') == 4
    assert "Enterprise" in section
    assert "Asked" in section and "Liked" in section and "Commented" in section


def test_the_api_lists_accounts_with_signals(client: Client, fixture: Fixture) -> None:
    key = make_key(StaffFactory(staff_role="sales"), ["success:read"])
    body = client.get(
        "/api/expansion-signals", {"limit": 2}, HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    assert body["count"] == 3
    assert body["has_more"] is True
    assert [item["account"]["name"] for item in body["items"]] == ["アクメ", "ゼータ"]
    assert body["items"][0]["signal_count"] == 4
    assert body["items"][0]["arr_minor"] == 20_000_000
    past_the_end = client.get(
        "/api/expansion-signals", {"offset": 10}, HTTP_AUTHORIZATION=f"Bearer {key}"
    ).json()
    assert past_the_end["items"] == []
    assert past_the_end["count"] == 3


# Plan capability tags -------------------------------------------------------------------------


@pytest.fixture
def csm(client: Client) -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    client.force_login(staff)
    return staff


def test_a_csm_maps_a_tag_to_a_plan_once_and_takes_it_off(client: Client, csm: Member) -> None:
    plan = PlanFactory(name="Enterprise", rank=2)
    tag = TagFactory(name="SSO", slug="sso")
    page = reverse("success:plan-tags")

    response = client.post(page, {"plan": plan.pk, "tag": " sso "})
    assert response.status_code == 302
    assert client.post(page, {"plan": plan.pk, "tag": "SSO"}).status_code == 302
    assert PlanCapabilityTag.objects.filter(plan=plan, tag=tag).count() == 1
    assert AuditEntry.objects.filter(action="success.capability_tag_added").count() == 1
    assert "SSO" in client.get(page).content.decode()

    response = client.post(reverse("success:plan-tag-remove"), {"plan": plan.pk, "tag_id": tag.pk})
    assert response.status_code == 302
    assert not PlanCapabilityTag.objects.exists()
    assert AuditEntry.objects.filter(action="success.capability_tag_removed").count() == 1


def test_an_unknown_tag_is_refused_in_words(client: Client, csm: Member) -> None:
    plan = PlanFactory(name="Enterprise", rank=2)
    response = client.post(reverse("success:plan-tags"), {"plan": plan.pk, "tag": "存在しない"})
    assert response.status_code == 400
    assert "No tag is called “存在しない”" in response.content.decode()
    assert not PlanCapabilityTag.objects.exists()


def test_only_staff_who_configure_customer_success_map_tags(client: Client) -> None:
    plan = PlanFactory(name="Enterprise", rank=2)
    TagFactory(name="SSO", slug="sso")
    client.force_login(StaffFactory(staff_role="sales"))
    assert client.get(reverse("success:plan-tags")).status_code == 403
    assert (
        client.post(reverse("success:plan-tags"), {"plan": plan.pk, "tag": "SSO"}).status_code
        == 403
    )
    assert not PlanCapabilityTag.objects.exists()


def test_the_plan_tags_page_says_when_a_plan_has_none(client: Client, csm: Member) -> None:
    PlanFactory(name="Starter", rank=0)
    html = client.get(reverse("success:plan-tags")).content.decode()
    assert "No capability tags yet" in html


def test_the_plan_tags_page_without_plans_points_to_the_plans_page(
    client: Client, csm: Member
) -> None:
    html = client.get(reverse("success:plan-tags")).content.decode()
    assert "No plans yet." in html
    assert reverse("customers:plans") in html


def test_hostile_input_is_answered_in_words(client: Client, csm: Member) -> None:
    plan = PlanFactory(name="Enterprise", rank=2)
    page = reverse("success:plan-tags")
    response = client.post(page, {"plan": "x", "tag": "SSO"})
    assert response.status_code == 400
    assert "the page was out of date" in response.content.decode()
    response = client.post(page, {"plan": plan.pk, "tag": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert client.post(page, {"plan": 999_999, "tag": "SSO"}).status_code == 404
    response = client.post(reverse("success:plan-tag-remove"), {"plan": plan.pk, "tag_id": "x"})
    assert response.status_code == 302
    assert not PlanCapabilityTag.objects.exists()
