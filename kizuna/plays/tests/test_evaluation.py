"""Each play rule on hand-built accounts whose answers are worked out by hand: which plays open,
which do not (other tiers, churned accounts), that a second evaluation opens nothing, that a
snoozed play comes back on its date, that a condition which stops holding closes its play, and
that edited thresholds change the answer."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kizuna.activity.models import Verb
from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.tests.factories import AmbassadorFactory
from kizuna.customers.models import CustomerAccount, LifecycleStage, TouchTier
from kizuna.customers.tests.factories import CustomerAccountFactory, make_customer
from kizuna.identity.tests.factories import StaffFactory
from kizuna.plays import services
from kizuna.plays.models import Play, PlayStatus
from kizuna.plays.tasks import evaluate_play_rules
from kizuna.plays.tests.factories import activity, attended, contact, only_rules, rule
from kizuna.segments.models import Segment
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now().replace(microsecond=0)
DAY = dt.timedelta(days=1)


def jst_day(moment: dt.datetime) -> str:
    return timezone.localtime(moment, timezone.get_default_timezone()).date().isoformat()


def open_plays(kind: str) -> set[tuple[str, str | None]]:
    """(account name, member name or None) of the kind's open plays."""
    return {
        (play.account.name, str(play.member) if play.member else None)
        for play in Play.objects.filter(rule__kind=kind, status=PlayStatus.OPEN).select_related(
            "account", "member"
        )
    }


def account(name: str, tier: str, **fields: object) -> CustomerAccount:
    account: CustomerAccount = CustomerAccountFactory(name=name, touch_tier=tier, **fields)
    return account


# 1. High touch without an ambassador ------------------------------------------------------------


def test_high_touch_accounts_without_an_active_ambassador_get_a_play() -> None:
    only_rules("no_ambassador")
    csm = StaffFactory(staff_role="csm")
    account("A 大手", TouchTier.HIGH, csm_owner=csm)  # nobody at all: due
    with_one = account("B 大手", TouchTier.HIGH)
    AmbassadorFactory(member=make_customer(account=with_one))
    retired_only = account("C 大手", TouchTier.HIGH)
    AmbassadorFactory(member=make_customer(account=retired_only), status=Ambassador.Status.RETIRED)
    account("D 解約", TouchTier.HIGH, status=CustomerAccount.Status.CHURNED)
    account("E 解約予定", TouchTier.HIGH, lifecycle_stage=LifecycleStage.CHURNED)
    account("F 中堅", TouchTier.LOW)  # another tier

    result = services.evaluate_plays(now=NOW)

    assert (result.opened, result.closed) == (2, 0)
    assert open_plays("no_ambassador") == {("A 大手", None), ("C 大手", None)}
    play = Play.objects.get(account__name="A 大手")
    assert (play.owner, play.params, play.opened_at) == (csm, {"tier": "high"}, NOW)


def test_a_second_evaluation_opens_nothing_new() -> None:
    only_rules("no_ambassador")
    account("A 大手", TouchTier.HIGH)
    account("B 大手", TouchTier.HIGH)
    first = services.evaluate_plays(now=NOW)
    second = services.evaluate_plays(now=NOW + dt.timedelta(hours=1))
    assert (first.opened, second.opened, second.closed) == (2, 0, 0)
    assert Play.objects.count() == 2


def test_the_database_refuses_a_second_live_play_for_the_same_rule_and_account() -> None:
    only_rules("no_ambassador")
    account("A 大手", TouchTier.HIGH)
    services.evaluate_plays(now=NOW)
    play = Play.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Play.objects.create(
            rule=play.rule,
            account=play.account,
            status=PlayStatus.SNOOZED,
            snoozed_until=NOW.date() + DAY,
        )
    # A closed play does not count: the next one may open beside it.
    Play.objects.filter(pk=play.pk).update(status=PlayStatus.DONE, closed_at=NOW)
    Play.objects.create(rule=play.rule, account=play.account)


def test_an_ambassador_added_closes_the_play_as_resolved_by_itself() -> None:
    only_rules("no_ambassador")
    high = account("A 大手", TouchTier.HIGH)
    services.evaluate_plays(now=NOW)
    AmbassadorFactory(member=make_customer(account=high))

    result = services.evaluate_plays(now=NOW + DAY)

    assert (result.opened, result.closed) == (0, 1)
    play = Play.objects.get()
    assert (play.status, play.closed_at, play.closed_by) == (PlayStatus.RESOLVED, NOW + DAY, None)


def test_an_account_that_churns_or_changes_tier_loses_its_play() -> None:
    only_rules("no_ambassador")
    churning = account("A 大手", TouchTier.HIGH)
    moving = account("B 大手", TouchTier.HIGH)
    services.evaluate_plays(now=NOW)
    CustomerAccount.objects.filter(pk=churning.pk).update(status=CustomerAccount.Status.CHURNED)
    CustomerAccount.objects.filter(pk=moving.pk).update(touch_tier=TouchTier.LOW)
    assert services.evaluate_plays(now=NOW + DAY).closed == 2
    assert not Play.objects.filter(status=PlayStatus.OPEN).exists()


# 2. Low touch without an event (or any activity) ---------------------------------------------------


def test_low_touch_accounts_without_an_event_attended_in_90_days_get_a_play() -> None:
    only_rules("no_recent_event")
    recent = account("A 最近参加", TouchTier.LOW)
    attended(make_customer(account=recent), at=NOW - 30 * DAY)
    old = account("B 以前参加", TouchTier.LOW)
    attended(make_customer(account=old), at=NOW - 120 * DAY)
    no_show = account("C 欠席のみ", TouchTier.LOW)
    attended(make_customer(account=no_show), at=NOW - 10 * DAY, showed_up=False)
    edge = account("D 89日前", TouchTier.LOW)
    attended(make_customer(account=edge), at=NOW - 89 * DAY)
    account("E メンバーなし", TouchTier.LOW)
    account("F テック", TouchTier.TECH)
    account("G 解約", TouchTier.LOW, status=CustomerAccount.Status.CHURNED)

    assert services.evaluate_plays(now=NOW).opened == 3

    assert open_plays("no_recent_event") == {
        ("B 以前参加", None),
        ("C 欠席のみ", None),
        ("E メンバーなし", None),
    }
    params = Play.objects.get(account=old).params
    assert params == {"days": 90, "last": jst_day(NOW - 120 * DAY), "any_activity": False}
    assert Play.objects.get(account=no_show).params["last"] is None


def test_the_low_touch_rule_can_look_at_any_activity_instead_of_events() -> None:
    only_rules("no_recent_event")
    admin = StaffFactory(staff_role="administrator")
    talking = account("A 投稿あり", TouchTier.LOW)
    activity(make_customer(account=talking), at=NOW - 10 * DAY, verb=Verb.ANSWERED)
    reading = account("B 閲覧のみ", TouchTier.LOW)
    activity(make_customer(account=reading), at=NOW - 10 * DAY, verb=Verb.VIEWED)
    services.update_play_rule(
        actor=admin, rule=rule("no_recent_event"), values={"any_activity": True}
    )

    services.evaluate_plays(now=NOW)

    assert open_plays("no_recent_event") == {("B 閲覧のみ", None)}
    assert Play.objects.get().params == {"days": 90, "last": None, "any_activity": True}


def test_a_longer_window_closes_the_play_it_no_longer_finds() -> None:
    only_rules("no_recent_event")
    admin = StaffFactory(staff_role="csm")
    old = account("B 以前参加", TouchTier.LOW)
    attended(make_customer(account=old), at=NOW - 120 * DAY)
    services.evaluate_plays(now=NOW)
    services.update_play_rule(actor=admin, rule=rule("no_recent_event"), values={"days": 150})

    result = services.evaluate_plays(now=NOW + dt.timedelta(hours=1))

    assert (result.opened, result.closed) == (0, 1)
    assert Play.objects.get().status == PlayStatus.RESOLVED


# 3. Tech touch whose contacts have not joined ------------------------------------------------------


def test_tech_touch_accounts_whose_contacts_have_not_joined_get_a_play() -> None:
    only_rules("contacts_not_joined")
    none_joined = account("A 未参加", TouchTier.TECH)
    for _ in range(3):
        contact(none_joined)
    quarter = account("B 4人中1人", TouchTier.TECH)
    contact(quarter, member=make_customer(account=quarter))
    for _ in range(3):
        contact(quarter)
    account("C 連絡先なし", TouchTier.TECH)
    low = account("D ロー", TouchTier.LOW)
    contact(low)

    services.evaluate_plays(now=NOW)

    assert open_plays("contacts_not_joined") == {("A 未参加", None)}
    assert Play.objects.get().params == {"contacts": 3, "joined": 0}


@pytest.mark.parametrize(
    ("percentage", "expected"),
    [(None, {"A 未参加"}), (25, {"A 未参加"}), (26, {"A 未参加", "B 4人中1人"})],
)
def test_the_share_of_contacts_joined_is_a_threshold(
    percentage: int | None, expected: set[str]
) -> None:
    """B has 1 of 4 contacts joined (25 %): due only while the threshold is above 25 %."""
    only_rules("contacts_not_joined")
    none_joined = account("A 未参加", TouchTier.TECH)
    contact(none_joined)
    quarter = account("B 4人中1人", TouchTier.TECH)
    contact(quarter, member=make_customer(account=quarter))
    for _ in range(3):
        contact(quarter)
    services.update_play_rule(
        actor=StaffFactory(staff_role="csm"),
        rule=rule("contacts_not_joined"),
        values={"percentage": percentage},
    )
    services.evaluate_plays(now=NOW)
    assert {name for name, _member in open_plays("contacts_not_joined")} == expected


# 4. A champion inactive for 30 days -------------------------------------------------------------


def test_a_champion_silent_for_30_days_gets_one_play_per_member() -> None:
    only_rules("champion_inactive")
    company = account("A 大手", TouchTier.HIGH)
    quiet_leader = make_customer(account=company, display_name="静かなリーダー")
    for days in (100, 90, 40):
        activity(quiet_leader, at=NOW - days * DAY)
    busy_leader = make_customer(account=company, display_name="活発なリーダー")
    for days in (100, 90, 5):
        activity(busy_leader, at=NOW - days * DAY, verb=Verb.ANSWERED)
    follower = make_customer(account=company, display_name="フォロワー")
    for days in (60, 50):
        activity(follower, at=NOW - days * DAY)
    silent_ambassador = make_customer(account=company, display_name="アンバサダー")
    AmbassadorFactory(member=silent_ambassador)
    former = make_customer(account=company, display_name="昔のリーダー")
    for days in (300, 250, 200):
        activity(former, at=NOW - days * DAY)
    reader = make_customer(account=company, display_name="読むだけ")
    for days in (100, 90, 40):
        activity(reader, at=NOW - days * DAY)
    activity(reader, at=NOW - DAY, verb=Verb.VIEWED)  # reading is not activity: still quiet
    gone = account("B 解約", TouchTier.HIGH, status=CustomerAccount.Status.CHURNED)
    gone_leader = make_customer(account=gone, display_name="解約先のリーダー")
    for days in (100, 90, 40):
        activity(gone_leader, at=NOW - days * DAY)

    assert services.evaluate_plays(now=NOW).opened == 3

    assert open_plays("champion_inactive") == {
        ("A 大手", "静かなリーダー"),
        ("A 大手", "アンバサダー"),
        ("A 大手", "読むだけ"),
    }
    assert Play.objects.get(member=quiet_leader).params == {
        "days": 30,
        "last": jst_day(NOW - 40 * DAY),
        "output": 3,
        "window_days": 180,
        "ambassador": False,
    }
    assert Play.objects.get(member=silent_ambassador).params["ambassador"] is True
    # A second evaluation keeps one play per member.
    assert services.evaluate_plays(now=NOW + DAY).opened == 0
    assert Play.objects.count() == 3


def test_a_champion_who_speaks_again_closes_their_play() -> None:
    only_rules("champion_inactive")
    company = account("A 大手", TouchTier.LOW)
    leader = make_customer(account=company)
    for days in (100, 90, 40):
        activity(leader, at=NOW - days * DAY)
    services.evaluate_plays(now=NOW)
    activity(leader, at=NOW + dt.timedelta(hours=1), verb=Verb.COMMENTED)
    assert services.evaluate_plays(now=NOW + dt.timedelta(hours=2)).closed == 1


# 5. Renewal within 90 days with falling engagement ----------------------------------------------


def test_a_renewal_within_90_days_with_activity_down_25_percent_gets_a_play() -> None:
    """Activity in the last 30 days against the 30 days before: 8 → 6 is down 25 % (due),
    8 → 7 is down 12.5 % (not); a renewal 120 days away, no earlier activity or a renewal
    already past is not due."""
    only_rules("renewal_engagement_falling")
    today = timezone.localtime(NOW, timezone.get_default_timezone()).date()

    def with_activity(name: str, renews_in: int, previous: int, recent: int) -> CustomerAccount:
        company = account(name, TouchTier.TECH, renewal_date=today + renews_in * DAY)
        member = make_customer(account=company)
        for index in range(previous):
            activity(member, at=NOW - (31 + index) * DAY)
        for index in range(recent):
            activity(member, at=NOW - (1 + index) * DAY, verb=Verb.REACTED)
        return company

    falling = with_activity("A 25%減", 60, previous=8, recent=6)
    with_activity("B 12.5%減", 60, previous=8, recent=7)
    with_activity("C 更新は先", 120, previous=8, recent=0)
    with_activity("D 活動なし", 30, previous=0, recent=0)
    with_activity("E 更新日が過去", -1, previous=8, recent=0)

    services.evaluate_plays(now=NOW)

    assert open_plays("renewal_engagement_falling") == {("A 25%減", None)}
    assert Play.objects.get().params == {
        "renewal": (today + 60 * DAY).isoformat(),
        "window_days": 30,
        "recent": 6,
        "previous": 8,
        "drop": 25,
    }
    assert Play.objects.get().account == falling


# Working plays against the evaluation ----------------------------------------------------------


def test_a_snoozed_play_stays_hidden_until_its_date_then_opens_again() -> None:
    only_rules("no_ambassador")
    account("A 大手", TouchTier.HIGH)
    csm = StaffFactory(staff_role="csm")
    services.evaluate_plays(now=NOW)
    today = timezone.localdate()
    play = services.snooze_play(actor=csm, play=Play.objects.get(), until=today + 3 * DAY)

    during = services.evaluate_plays(now=NOW + DAY)
    assert (during.opened, during.woken) == (0, 0)
    assert Play.objects.get().status == PlayStatus.SNOOZED

    after = services.evaluate_plays(now=NOW + 4 * DAY)
    assert (after.opened, after.woken) == (0, 1)
    play.refresh_from_db()
    assert (play.status, play.snoozed_until) == (PlayStatus.OPEN, None)
    assert Play.objects.count() == 1


def test_a_done_play_is_not_reopened_until_its_rule_cools_down() -> None:
    only_rules("no_ambassador")
    account("A 大手", TouchTier.HIGH)
    csm = StaffFactory(staff_role="csm")
    services.evaluate_plays(now=NOW)
    done = services.mark_play_done(actor=csm, play=Play.objects.get())

    assert services.evaluate_plays(now=done.closed_at + 29 * DAY).opened == 0
    assert services.evaluate_plays(now=done.closed_at + 31 * DAY).opened == 1
    assert list(Play.objects.order_by("pk").values_list("status", flat=True)) == ["done", "open"]


def test_a_disabled_rule_opens_nothing() -> None:
    only_rules("no_ambassador")
    account("A 大手", TouchTier.HIGH)
    services.update_play_rule(
        actor=StaffFactory(staff_role="administrator"),
        rule=rule("no_ambassador"),
        values={"enabled": False},
    )
    assert services.evaluate_plays(now=NOW).opened == 0
    assert not Play.objects.exists()


def test_the_beat_task_runs_the_evaluation() -> None:
    only_rules("no_ambassador")
    account("A 大手", TouchTier.HIGH)
    assert evaluate_play_rules() == {"opened": 1, "closed": 0, "woken": 0}


# A rule limited to a segment --------------------------------------------------------------------


def test_a_rule_with_an_accounts_segment_looks_only_at_its_accounts() -> None:
    only_rules("no_ambassador")
    kanto = Segment.objects.create(
        name="関東",
        target="accounts",
        conditions=[{"field": "account.region", "op": "equals", "value": "関東"}],
    )
    account("A 東京", TouchTier.HIGH, region="関東")
    account("B 大阪", TouchTier.HIGH, region="関西")
    services.update_play_rule(
        actor=StaffFactory(staff_role="csm"), rule=rule("no_ambassador"), values={"segment": kanto}
    )
    services.evaluate_plays(now=NOW)
    assert open_plays("no_ambassador") == {("A 東京", None)}


def test_a_champion_rule_with_a_members_segment_looks_only_at_its_members() -> None:
    only_rules("champion_inactive")
    space = SpaceFactory()
    in_space = Segment.objects.create(
        name="ユーザー会",
        target="members",
        conditions=[{"field": "member.space", "op": "in", "value": [str(space.pk)]}],
    )
    company = account("A 大手", TouchTier.HIGH)
    inside = make_customer(account=company, display_name="参加者")
    MembershipFactory(space=space, member=inside)
    outside = make_customer(account=company, display_name="不参加")
    for member in (inside, outside):
        AmbassadorFactory(member=member)
    rule_ = rule("champion_inactive")
    rule_.segment = in_space
    rule_.save()
    services.evaluate_plays(now=NOW)
    assert open_plays("champion_inactive") == {("A 大手", "参加者")}


@pytest.mark.usefixtures("english")
def test_a_segment_a_rule_uses_must_be_one_the_editor_may_see() -> None:
    economic = Segment.objects.create(
        name="High", target="accounts", conditions=[], uses_economics=True
    )
    with pytest.raises(ValidationError) as refused:
        services.clean_rule_values(
            rule("no_ambassador"),
            {"segment": economic.pk + 1},
            actor=StaffFactory(staff_role="csm"),
        )
    assert refused.value.message_dict == {"segment": ["Choose one of the saved segments."]}


def test_an_evaluation_s_queries_do_not_grow_with_accounts_or_members() -> None:
    """Each rule is one detection query whatever the number of accounts and members."""

    def world(size: int) -> None:
        for index in range(size):
            high = account(f"H{size}-{index}", TouchTier.HIGH)
            leader = make_customer(account=high)
            for days in (100, 90, 40):
                activity(leader, at=NOW - days * DAY)
            contact(account(f"T{size}-{index}", TouchTier.TECH))
            account(f"L{size}-{index}", TouchTier.LOW)

    world(1)
    with CaptureQueriesContext(connection) as small:
        services.evaluate_plays(now=NOW)
    Play.objects.all().delete()
    world(10)
    with CaptureQueriesContext(connection) as large:
        services.evaluate_plays(now=NOW)
    assert Play.objects.count() == 4 * 11
    assert len(large.captured_queries) == len(small.captured_queries)
