"""Every condition on the hand-built world (kizuna/segments/tests/world.py), with the members
or accounts it must find written out by hand."""

from typing import Any

import pytest
from django.utils import timezone
from pytest_django import DjangoAssertNumQueries

from kizuna.gamification.models import Level
from kizuna.segments.definitions import Catalogue, clean_conditions
from kizuna.segments.models import Segment
from kizuna.segments.selectors import accounts_in, accounts_matching, count, members_in
from kizuna.segments.selectors import members_matching as members
from kizuna.segments.tests.world import World, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

EVERYONE = {"alice", "bob", "carol", "dave", "staff"}


@pytest.fixture
def world() -> World:
    return build_world()


def _members(world: World, raw: list[dict[str, Any]], match: str = "all") -> set[str]:
    """The raw conditions cleaned as the editor and the API clean them, then evaluated."""
    conditions = clean_conditions(raw, target="members", catalogue=Catalogue(economics=True))
    return world.names(members("members", match, conditions))


def _accounts(world: World, raw: list[dict[str, Any]], match: str = "all") -> set[str]:
    conditions = clean_conditions(raw, target="accounts", catalogue=Catalogue(economics=True))
    return world.account_names(accounts_matching("accounts", match, conditions))


def c(field: str, op: str, value: Any = None) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value}


def level(name: str) -> str:
    return str(Level.objects.get(name_en=name).pk)


# ------------------------------------------------------------------ account conditions


def test_touch_tier(world: World) -> None:
    assert _members(world, [c("account.touch_tier", "in", ["high"])]) == {"alice"}
    assert _members(world, [c("account.touch_tier", "in", ["high", "low"])]) == {"alice", "bob"}
    # Members without an account match no account condition, negative ones included.
    assert _members(world, [c("account.touch_tier", "not_in", ["high"])]) == {"bob", "carol"}


def test_lifecycle_stage_and_status(world: World) -> None:
    assert _members(world, [c("account.lifecycle_stage", "in", ["churned"])]) == {"carol"}
    assert _members(world, [c("account.lifecycle_stage", "not_in", ["churned"])]) == {
        "alice",
        "bob",
    }
    assert _members(world, [c("account.status", "in", ["active"])]) == {"alice", "bob"}


def test_plan_and_csm_owner(world: World) -> None:
    assert _members(world, [c("account.plan", "in", [str(world.pro.pk)])]) == {"alice"}
    # Gamma has no plan at all: "not Pro" includes it.
    assert _members(world, [c("account.plan", "not_in", [str(world.pro.pk)])]) == {
        "bob",
        "carol",
    }
    assert _members(world, [c("account.csm_owner", "in", [str(world.csm1.pk)])]) == {"alice"}
    assert _members(
        world, [c("account.csm_owner", "in", [str(world.csm1.pk), str(world.csm2.pk)])]
    ) == {"alice", "bob"}


def test_industry_region_and_size(world: World) -> None:
    assert _members(world, [c("account.industry", "equals", "製造業")]) == {"alice"}
    assert _members(world, [c("account.industry", "contains", "製造")]) == {"alice", "carol"}
    assert _members(world, [c("account.region", "contains", "関")]) == {"alice", "bob"}
    assert _members(world, [c("account.employee_band", "in", ["300-999"])]) == {"alice"}


def test_renewal_within_days(world: World) -> None:
    assert _members(world, [c("account.renewal", "within_next", 90)]) == {"alice"}
    assert _members(world, [c("account.renewal", "within_next", "365")]) == {"alice", "bob"}
    assert _members(world, [c("account.renewal", "within_next", 29)]) == set()


def test_arr_in_the_vendors_currency(world: World) -> None:
    assert _members(world, [c("account.arr", "gte", "1000万")]) == {"alice"}
    assert _members(world, [c("account.arr", "gte", "15,000,000")]) == {"alice"}
    assert _members(world, [c("account.arr", "gte", "15,000,001")]) == set()
    # Gamma has no ARR: it is not "at most" anything.
    assert _members(world, [c("account.arr", "lte", "500万")]) == {"bob"}


def test_strategic(world: World) -> None:
    assert _members(world, [c("account.strategic", "yes")]) == {"alice"}
    assert _members(world, [c("account.strategic", "no")]) == {"bob", "carol"}


def test_custom_fields_of_each_kind(world: World) -> None:
    assert _members(world, [c("custom:contract_type", "in", ["年間"])]) == {"alice"}
    assert _members(world, [c("custom:seats", "gte", "100")]) == {"alice"}
    assert _members(world, [c("custom:seats", "lte", "50")]) == {"bob"}
    assert _members(world, [c("custom:seats", "eq", "20")]) == {"bob"}
    assert _members(world, [c("custom:kickoff", "within_last", 30)]) == {"alice"}
    assert _members(world, [c("custom:kickoff", "within_last", 9)]) == set()
    today = timezone.localdate().isoformat()
    assert _members(world, [c("custom:kickoff", "before", today)]) == {"alice"}
    assert _members(world, [c("custom:kickoff", "after", today)]) == set()
    assert _members(world, [c("custom:note", "contains", "重要")]) == {"bob"}
    assert _members(world, [c("custom:note", "equals", "重要顧客")]) == {"bob"}


# ------------------------------------------------------------------ member conditions


def test_level_from_lifetime_points(world: World) -> None:
    # alice 600 (Gold), bob 150 and dave exactly 100 (Silver), carol and staff 0 (Bronze).
    assert _members(world, [c("member.level", "gte", level("Silver"))]) == {"alice", "bob", "dave"}
    assert _members(world, [c("member.level", "gte", level("Gold"))]) == {"alice"}
    assert _members(world, [c("member.level", "lt", level("Silver"))]) == {"carol", "staff"}
    assert _members(world, [c("member.level", "gte", level("Bronze"))]) == EVERYONE


def test_kind_of_member(world: World) -> None:
    # carol's account churned: she is no longer a customer.
    assert _members(world, [c("member.kind", "in", ["customer"])]) == {"alice", "bob"}
    assert _members(world, [c("member.kind", "in", ["staff"])]) == {"staff"}
    assert _members(world, [c("member.kind", "in", ["other"])]) == {"carol", "dave"}
    assert _members(world, [c("member.kind", "not_in", ["customer"])]) == {
        "carol",
        "dave",
        "staff",
    }


def test_joined_within_and_before(world: World) -> None:
    assert _members(world, [c("member.joined", "within_last", 30)]) == {"alice", "dave"}
    assert _members(world, [c("member.joined", "not_within_last", 30)]) == {
        "bob",
        "carol",
        "staff",
    }


def test_active_and_inactive(world: World) -> None:
    assert _members(world, [c("member.active", "within_last", 30)]) == {"alice", "dave", "staff"}
    assert _members(world, [c("member.active", "not_within_last", 30)]) == {"bob", "carol"}
    assert _members(world, [c("member.active", "within_last", 90)]) == {
        "alice",
        "bob",
        "dave",
        "staff",
    }


def test_space_membership(world: World) -> None:
    assert _members(world, [c("member.space", "in", [str(world.one.pk)])]) == {"alice", "dave"}
    assert _members(world, [c("member.space", "in", [str(world.two.pk)])]) == {"bob", "dave"}
    assert _members(world, [c("member.space", "not_in", [str(world.one.pk)])]) == {
        "bob",
        "carol",
        "staff",
    }


def test_events_attended_in_a_window(world: World) -> None:
    # alice: 2 in the last 30 days and a third 60 days ago; bob: 1, 10 days ago; dave: a no-show.
    def attended(op: str, times: int, days: int) -> set[str]:
        return _members(world, [c("member.events_attended", op, {"count": times, "days": days})])

    assert attended("gte", 1, 30) == {"alice", "bob"}
    assert attended("gte", 2, 30) == {"alice"}
    assert attended("gte", 3, 30) == set()
    assert attended("gte", 3, 90) == {"alice"}
    assert attended("lte", 0, 30) == {"carol", "dave", "staff"}
    assert attended("lte", 1, 30) == {"bob", "carol", "dave", "staff"}


def test_challenge_tags(world: World) -> None:
    security, onboarding = str(world.security.pk), str(world.onboarding.pk)
    assert _members(world, [c("member.interests", "in", [security])]) == {"alice", "dave"}
    assert _members(world, [c("member.interests", "in", [security, onboarding])]) == {
        "alice",
        "bob",
        "dave",
    }
    assert _members(world, [c("member.interests", "not_in", [security])]) == {
        "bob",
        "carol",
        "staff",
    }


def test_posted_and_answered_in_a_window(world: World) -> None:
    def times(field: str, op: str, count: int, days: int) -> set[str]:
        return _members(world, [c(field, op, {"count": count, "days": days})])

    assert times("member.posts", "gte", 3, 30) == {"alice"}
    assert times("member.posts", "gte", 1, 30) == {"alice", "dave"}
    assert times("member.posts", "lte", 0, 30) == {"bob", "carol", "staff"}
    assert times("member.answers", "gte", 1, 30) == {"alice"}
    assert times("member.answers", "gte", 1, 90) == {"alice", "bob"}
    assert times("member.answers", "gte", 2, 90) == set()


def test_learning_cohort(world: World) -> None:
    assert _members(world, [c("member.cohort", "any")]) == {"alice"}
    assert _members(world, [c("member.cohort", "in", [str(world.p1.pk)])]) == {"alice"}
    assert _members(world, [c("member.cohort", "in", [str(world.p2.pk)])]) == set()
    assert _members(world, [c("member.cohort", "none")]) == {"bob", "carol", "dave", "staff"}


# ------------------------------------------------------------------ all, any, and the targets


def test_every_condition_versus_any_condition(world: World) -> None:
    high_or_two = [
        c("account.touch_tier", "in", ["high"]),
        c("member.space", "in", [str(world.two.pk)]),
    ]
    assert _members(world, high_or_two, "all") == set()
    assert _members(world, high_or_two, "any") == {"alice", "bob", "dave"}
    silver_and_security = [
        c("member.level", "gte", level("Silver")),
        c("member.interests", "in", [str(world.security.pk)]),
    ]
    assert _members(world, silver_and_security, "all") == {"alice", "dave"}
    assert _members(world, silver_and_security, "any") == {"alice", "bob", "dave"}


def test_accounts_segments(world: World) -> None:
    assert _accounts(world, [c("account.touch_tier", "in", ["high", "low"])]) == {"alpha", "beta"}
    assert _accounts(world, [c("account.arr", "gte", "1000万")]) == {"alpha"}
    assert _accounts(world, [c("account.strategic", "no")]) == {"beta", "gamma"}
    assert _accounts(world, [c("custom:seats", "gte", "10")]) == {"alpha", "beta"}
    either = [
        c("account.lifecycle_stage", "in", ["churned"]),
        c("account.touch_tier", "in", ["high"]),
    ]
    assert _accounts(world, either, "any") == {"alpha", "gamma"}
    assert _accounts(world, either, "all") == set()


def test_members_of_an_accounts_segment_and_accounts_of_a_members_segment(world: World) -> None:
    high = Segment.objects.create(
        name="High",
        target="accounts",
        conditions=[{"field": "account.touch_tier", "op": "in", "value": ["high"]}],
    )
    # Alpha's deactivated member is left out.
    assert world.names(members_in(high)) == {"alice"}
    assert world.account_names(accounts_in(high)) == {"alpha"}
    assert count(high) == 1
    in_one = Segment.objects.create(
        name="Space One",
        target="members",
        conditions=[{"field": "member.space", "op": "in", "value": [str(world.one.pk)]}],
    )
    # dave is in space One but has no account.
    assert world.account_names(accounts_in(in_one)) == {"alpha"}
    assert count(in_one) == 2


def test_a_member_condition_cannot_filter_accounts(world: World) -> None:
    with pytest.raises(Exception, match="describes a member"):
        clean_conditions(
            [c("member.level", "gte", level("Silver"))],
            target="accounts",
            catalogue=Catalogue(economics=True),
        )


def test_one_query_counts_a_segment_of_every_condition(
    world: World, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    raw = [
        c("account.touch_tier", "in", ["high", "low"]),
        c("account.plan", "not_in", [str(world.basic.pk)]),
        c("account.renewal", "within_next", 365),
        c("custom:seats", "gte", "1"),
        c("member.level", "gte", level("Silver")),
        c("member.active", "within_last", 30),
        c("member.events_attended", "gte", {"count": 2, "days": 30}),
        c("member.posts", "gte", {"count": 2, "days": 30}),
        c("member.interests", "in", [str(world.security.pk)]),
        c("member.cohort", "any"),
    ]
    conditions = clean_conditions(raw, target="members", catalogue=Catalogue(economics=True))
    segment = Segment.objects.create(
        name="All at once", conditions=[condition.as_json() for condition in conditions]
    )
    with django_assert_num_queries(1):
        assert count(segment) == 1
    with django_assert_num_queries(1):
        assert world.names(list(members_in(segment))) == {"alice"}


def test_conditions_that_are_not_complete_are_named_in_words(world: World) -> None:
    with pytest.raises(Exception) as raised:
        clean_conditions(
            [
                c("account.touch_tier", "in", []),
                c("member.joined", "within_last", "0"),
                c("member.posts", "gte", {"count": "0", "days": "30"}),
                c("account.arr", "gte", "たくさん"),
                c("nope", "in", []),
                c("member.level", "between", "1"),
            ],
            target="members",
            catalogue=Catalogue(economics=True),
        )
    messages = raised.value.message_dict["conditions"]
    assert messages == [
        "Condition 1: Choose at least one value.",
        "Condition 2: Enter a number of days from 1 to 3650.",
        "Condition 3: Enter how many times, a whole number from 1 to 10000.",
        "Condition 4: Enter an amount in JPY, such as 1200万 or 12,000,000.",
        "Condition 5: There is no field “nope” to filter on.",
        "Condition 6: Choose how to compare “Level”: at least, below.",
    ]


def test_the_economics_fields_do_not_exist_without_the_permission(world: World) -> None:
    catalogue = Catalogue(economics=False)
    keys = {spec.key for spec in catalogue.fields_for("members")}
    assert "account.touch_tier" not in keys
    assert "account.arr" not in keys
    assert not any(key.startswith("custom:") for key in keys)
    assert "account.lifecycle_stage" in keys
    with pytest.raises(Exception, match="customer economics"):
        clean_conditions([c("custom:seats", "gte", "1")], target="members", catalogue=catalogue)
