"""The recognition API: levels, standing, ledgers, balances, leaderboards, badges and rewards.

Who may read what is the same as on the pages: one's own points and history, everyone's for
staff; leaderboards and holders never reveal a space the reader cannot see.
"""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from kizuna.badges.tests.factories import BadgeAwardFactory, BadgeFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.gamification.models import EntryKind, LedgerEntry
from kizuna.gamification.services import AwardContext, award_points, set_leaderboard_visibility
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.rewards.models import Redemption, RedemptionStatus
from kizuna.rewards.services import redeem_reward
from kizuna.rewards.tests.factories import RewardFactory, give_points
from kizuna.spaces.models import AccessType, Space
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory
from tests.api.conftest import ApiClient, error_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

SessionClient = Callable[[Member], ApiClient]
KeyClient = Callable[..., ApiClient]


@pytest.fixture
def customer(db: None) -> Member:
    member: Member = make_customer(display_name="山田 花子")
    return member


def _speak(
    member: Member, *, space: Space | None = None, when: datetime | None = None
) -> LedgerEntry:
    """50 points from the `event_spoke` rule, counted in `space` when given."""
    entry = award_points(
        member=member,
        rule_key="event_spoke",
        source=None,
        idempotency_key=f"test-spoke:{uuid.uuid4().hex}",
        occurred_at=when,
        context=AwardContext(space_id=space.pk if space is not None else None),
    )
    assert entry is not None
    return entry


def _redeem(api: ApiClient, reward_id: int, key: str | None) -> Any:
    headers = {**api.headers}
    if key is not None:
        headers["HTTP_IDEMPOTENCY_KEY"] = key
    return api.client.post(
        f"/api/rewards/{reward_id}/redeem", "{}", content_type="application/json", **headers
    )


# --- levels and standing ------------------------------------------------------------------


def test_levels_are_listed_lowest_first_in_both_languages(
    customer: Member, session_client: SessionClient
) -> None:
    body = session_client(customer).get("/api/recognition/levels").json()

    assert body["count"] == 4
    assert [item["name_en"] for item in body["items"]] == ["Bronze", "Silver", "Gold", "Platinum"]
    assert body["items"][1] == {
        "id": body["items"][1]["id"],
        "name": "Silver",
        "name_ja": "シルバー",
        "name_en": "Silver",
        "threshold": 100,
        "colour": "#8a9199",
    }


def test_my_summary_says_exactly_what_is_left_to_the_next_level(
    customer: Member, session_client: SessionClient
) -> None:
    give_points(customer, 120)

    body = session_client(customer).get("/api/recognition/me").json()

    assert body["member"] == {"id": customer.pk, "name": "山田 花子"}
    assert body["balance"] == 120
    assert body["lifetime_points"] == 120
    assert body["level"]["name_en"] == "Silver"
    assert body["next_level"]["name_en"] == "Gold"
    assert body["points_to_next_level"] == 380
    assert body["progress_percent"] == 5
    assert body["shows_on_leaderboards"] is True


def test_spending_lowers_the_balance_but_not_the_level(
    customer: Member, session_client: SessionClient
) -> None:
    give_points(customer, 150)
    reward = RewardFactory(cost_points=100)
    api = session_client(customer)
    assert _redeem(api, reward.pk, "spend-once").status_code == 201

    body = api.get(f"/api/recognition/members/{customer.pk}").json()

    assert (body["balance"], body["lifetime_points"]) == (50, 150)
    assert body["level"]["name_en"] == "Silver"


def test_another_members_summary_and_ledger_are_refused(
    customer: Member, session_client: SessionClient
) -> None:
    other = make_customer()
    give_points(other, 70)
    api = session_client(customer)

    for path in (
        f"/api/recognition/members/{other.pk}",
        f"/api/recognition/members/{other.pk}/ledger",
    ):
        response = api.get(path)
        assert response.status_code == 403
        error = error_of(response)
        assert error["code"] == "view_recognition"
        assert error["message"] == "You can see only your own points and history."
        assert "70" not in response.content.decode()


@pytest.mark.parametrize("role", ["csm", "sales", "executive"])
def test_staff_read_any_members_summary_and_ledger(
    customer: Member, key_client: KeyClient, role: str
) -> None:
    give_points(customer, 30)
    api = key_client(StaffFactory(staff_role=role), [ApiKey.Scope.RECOGNITION_READ])

    summary = api.get(f"/api/recognition/members/{customer.pk}")
    ledger = api.get(f"/api/recognition/members/{customer.pk}/ledger")

    assert summary.json()["balance"] == 30
    assert ledger.json()["count"] == 1


def test_unknown_member_is_404_for_staff(staff_client: ApiClient) -> None:
    response = staff_client.get("/api/recognition/members/2147483000")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_ledger_is_newest_first_with_rule_reason_and_source(
    customer: Member, session_client: SessionClient
) -> None:
    give_points(customer, 200)
    spoke = _speak(customer)
    reward = RewardFactory(cost_points=100)
    api = session_client(customer)
    _redeem(api, reward.pk, "ledger-spend")
    redemption = Redemption.objects.get()

    body = api.get(f"/api/recognition/members/{customer.pk}/ledger").json()

    assert body["count"] == 3
    spend, award, adjustment = body["items"]
    assert (spend["kind"], spend["amount"]) == ("spend", -100)
    assert (spend["source_type"], spend["source_id"]) == ("rewards.redemption", redemption.pk)
    assert spend["rule"] is None
    assert award == {
        "id": spoke.pk,
        "kind": "award",
        "amount": 50,
        "rule": "event_spoke",
        "rule_label": "Spoke at an event",
        "reason": "",
        "source_type": None,
        "source_id": None,
        "created_at": award["created_at"],
    }
    assert (adjustment["kind"], adjustment["reason"]) == ("adjustment", "test seed")


def test_ledger_pages_and_rejects_a_limit_out_of_range(
    customer: Member, session_client: SessionClient
) -> None:
    for _ in range(3):
        give_points(customer, 10)
    api = session_client(customer)
    path = f"/api/recognition/members/{customer.pk}/ledger"

    page = api.get(path, limit=2, offset=2).json()
    too_big = api.get(path, limit=101)

    assert (page["count"], len(page["items"]), page["offset"]) == (3, 1, 2)
    assert too_big.status_code == 422
    error = error_of(too_big)
    assert error["code"] == "invalid"
    assert error["fields"] == {"limit": ["Enter a number in the allowed range."]}


def test_member_id_beyond_the_id_range_is_a_validation_error(
    customer: Member, session_client: SessionClient
) -> None:
    response = session_client(customer).get("/api/recognition/members/2147483648/ledger")

    assert response.status_code == 422
    assert "member_id" in error_of(response)["fields"]


def test_anonymous_is_asked_to_authenticate(anonymous_client: ApiClient) -> None:
    response = anonymous_client.get("/api/recognition/me")

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


def test_a_key_without_the_recognition_scope_is_refused(
    staff: Member, key_client: KeyClient
) -> None:
    api = key_client(staff, [ApiKey.Scope.CONTENT_READ, ApiKey.Scope.MEMBERS_READ])

    for path in ("/api/recognition/me", "/api/badges", "/api/rewards", "/api/redemptions"):
        response = api.get(path)
        assert response.status_code == 403, path
        assert error_of(response)["code"] == "missing_scope"


# --- bulk balances ----------------------------------------------------------------------


def test_staff_list_many_balances_in_one_call(staff_client: ApiClient) -> None:
    rich, poor, untouched = make_customer(), make_customer(), make_customer()
    give_points(rich, 600)
    give_points(poor, 20)

    body = staff_client.get(
        "/api/recognition/balances", member_id=[rich.pk, poor.pk, untouched.pk]
    ).json()

    assert body["count"] == 3
    rows = {item["member"]["id"]: item for item in body["items"]}
    assert [item["member"]["id"] for item in body["items"]] == sorted(rows)
    assert (rows[rich.pk]["balance"], rows[rich.pk]["level"]["name_en"]) == (600, "Gold")
    assert rows[poor.pk]["level"]["name_en"] == "Bronze"
    assert rows[untouched.pk]["balance"] == 0
    assert rows[untouched.pk]["last_entry_at"] is None
    assert rows[rich.pk]["last_entry_at"] is not None


def test_balances_updated_since_lists_only_members_whose_ledger_moved(
    staff_client: ApiClient,
) -> None:
    before, after = make_customer(), make_customer()
    give_points(before, 10)
    LedgerEntry.objects.filter(member=before).update(created_at="2020-01-01T00:00:00Z")
    give_points(after, 10)

    body = staff_client.get(
        "/api/recognition/balances", updated_since="2024-01-01T00:00:00+09:00"
    ).json()

    assert [item["member"]["id"] for item in body["items"]] == [after.pk]


def test_balances_reject_a_bad_member_id_and_are_paginated(staff_client: ApiClient) -> None:
    bad = staff_client.get("/api/recognition/balances", member_id="abc")
    page = staff_client.get("/api/recognition/balances", limit=1).json()

    assert bad.status_code == 422
    assert error_of(bad)["code"] == "invalid"
    assert len(page["items"]) == 1
    assert page["count"] == Member.objects.filter(is_active=True).count()


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "yesterday"]
)
def test_balances_updated_since_out_of_range_is_a_validation_error(
    staff_client: ApiClient, moment: str
) -> None:
    response = staff_client.get("/api/recognition/balances", updated_since=moment)

    assert response.status_code == 422
    assert "updated_since" in error_of(response)["fields"]


def test_members_cannot_list_balances(customer: Member, session_client: SessionClient) -> None:
    response = session_client(customer).get("/api/recognition/balances")

    assert response.status_code == 403
    assert error_of(response) == {
        "code": "list_balances",
        "message": "Only staff can list members' balances.",
        "fields": {},
    }


# --- leaderboards -----------------------------------------------------------------------


@pytest.fixture
def members_only_space(db: None) -> Space:
    """Content only its members read: an application space (a private one is open to customers)."""
    space: Space = SpaceFactory(slug="inner-circle", access_type=AccessType.APPLICATION)
    return space


def test_leaderboard_ranks_members_and_leaves_out_those_who_opted_out(
    customer: Member, session_client: SessionClient
) -> None:
    first, second, hidden = make_customer(), make_customer(), make_customer()
    for _ in range(3):
        _speak(first)
    _speak(second)
    _speak(hidden)
    _speak(hidden)
    set_leaderboard_visibility(member=hidden, show=False)

    body = session_client(customer).get("/api/recognition/leaderboard").json()

    assert body["period"] == "all"
    assert body["space_id"] is None
    assert [(row["rank"], row["member"]["id"], row["points"]) for row in body["items"]] == [
        (1, first.pk, 150),
        (2, second.pk, 50),
    ]
    assert body["items"][0]["level"]["name_en"] == "Silver"


def test_leaderboard_pages_say_whether_more_rows_follow(
    customer: Member, session_client: SessionClient
) -> None:
    ranked = [make_customer() for _ in range(3)]
    for times, member in enumerate(ranked):
        for _ in range(3 - times):
            _speak(member)
    client = session_client(customer)

    first = client.get("/api/recognition/leaderboard", limit=2).json()
    last = client.get("/api/recognition/leaderboard", limit=2, offset=2).json()

    assert [(row["rank"], row["member"]["id"]) for row in first["items"] + last["items"]] == [
        (1, ranked[0].pk),
        (2, ranked[1].pk),
        (3, ranked[2].pk),
    ]
    assert (first["has_more"], last["has_more"]) == (True, False)
    assert first["count"] is None


def test_leaderboard_of_a_space_the_caller_cannot_see_is_404(
    customer: Member, session_client: SessionClient, members_only_space: Space
) -> None:
    insider = make_customer(display_name="内部の人")
    MembershipFactory(space=members_only_space, member=insider)
    _speak(insider, space=members_only_space)

    refused = session_client(customer).get(
        "/api/recognition/leaderboard", space_id=members_only_space.pk
    )
    # A month's community board counts only readable spaces; all time it ranks lifetime points.
    community = session_client(customer).get("/api/recognition/leaderboard", period="month").json()
    allowed = (
        session_client(insider)
        .get("/api/recognition/leaderboard", space_id=members_only_space.pk)
        .json()
    )

    assert refused.status_code == 404
    assert error_of(refused)["code"] == "not_found"
    assert "内部の人" not in refused.content.decode()
    assert community["items"] == []
    assert [row["member"]["id"] for row in allowed["items"]] == [insider.pk]
    assert allowed["space_id"] == members_only_space.pk


def test_leaderboard_period_is_validated(customer: Member, session_client: SessionClient) -> None:
    response = session_client(customer).get("/api/recognition/leaderboard", period="week")

    assert response.status_code == 422
    assert "period" in error_of(response)["fields"]


def test_monthly_leaderboard_leaves_out_last_months_points(
    customer: Member, session_client: SessionClient
) -> None:
    _speak(make_customer(), when=datetime(2020, 1, 1, tzinfo=UTC))
    recent = make_customer()
    _speak(recent)

    body = session_client(customer).get("/api/recognition/leaderboard", period="month").json()

    assert [row["member"]["id"] for row in body["items"]] == [recent.pk]


# --- badges -----------------------------------------------------------------------------


def test_badge_catalogue_lists_active_badges_with_holder_counts(
    customer: Member, session_client: SessionClient
) -> None:
    helper = BadgeFactory(slug="api-helper", name_en="Helper", name_ja="助っ人")
    BadgeAwardFactory(badge=helper)
    BadgeAwardFactory(badge=helper, member=MemberFactory(is_active=False))
    BadgeFactory(slug="api-retired", is_active=False)

    body = session_client(customer).get("/api/badges").json()

    badges = {item["slug"]: item for item in body["items"]}
    assert "api-retired" not in badges
    assert badges["api-helper"]["holder_count"] == 1
    assert (badges["api-helper"]["name"], badges["api-helper"]["name_ja"]) == ("Helper", "助っ人")


def test_badge_holders_show_name_company_and_date_only(
    customer: Member, session_client: SessionClient, members_only_space: Space
) -> None:
    badge = BadgeFactory(slug="api-speaker")
    holder = make_customer(display_name="佐藤", company_name="株式会社サンプル")
    MembershipFactory(space=members_only_space, member=holder)
    BadgeAwardFactory(badge=badge, member=holder, reason="秘密の理由")
    BadgeAwardFactory(badge=badge, member=MemberFactory(display_name="退会者", is_active=False))

    response = session_client(customer).get("/api/badges/api-speaker/holders")

    body = response.json()
    assert body["count"] == 1
    assert body["items"][0] == {
        "member": {"id": holder.pk, "name": "佐藤"},
        "company_name": "株式会社サンプル",
        "awarded_at": body["items"][0]["awarded_at"],
    }
    text = response.content.decode()
    for secret in ("秘密の理由", "退会者", holder.email, members_only_space.name):
        assert secret not in text


def test_one_badge_and_unknown_or_retired_badges(
    customer: Member, session_client: SessionClient
) -> None:
    BadgeFactory(slug="api-helper", name_en="Helper")
    BadgeFactory(slug="api-retired", is_active=False)
    api = session_client(customer)

    assert api.get("/api/badges/api-helper").json()["name"] == "Helper"
    assert api.get("/api/badges/api-retired").status_code == 404
    assert api.get("/api/badges/nope/holders").status_code == 404
    assert api.get("/api/badges/bad%20slug").status_code in (404, 422)


def test_a_members_badges_newest_first(customer: Member, session_client: SessionClient) -> None:
    other = make_customer()
    first = BadgeAwardFactory(member=other, badge=BadgeFactory(slug="api-first"))
    second = BadgeAwardFactory(member=other, badge=BadgeFactory(slug="api-second"))
    BadgeAwardFactory(member=make_customer(), badge=second.badge)
    BadgeAwardFactory(member=other, badge=BadgeFactory(slug="api-gone", is_active=False))

    body = session_client(customer).get(f"/api/recognition/members/{other.pk}/badges").json()

    assert [item["badge"]["slug"] for item in body["items"]] == ["api-second", "api-first"]
    assert body["items"][0]["badge"]["holder_count"] == 2
    assert body["items"][1]["badge"]["slug"] == first.badge.slug


def test_badges_of_a_member_who_left_are_404(
    customer: Member, session_client: SessionClient
) -> None:
    gone = MemberFactory(is_active=False)
    BadgeAwardFactory(member=gone)

    response = session_client(customer).get(f"/api/recognition/members/{gone.pk}/badges")

    assert response.status_code == 404


# --- rewards and redemptions ------------------------------------------------------------


def test_catalog_lists_active_rewards_cheapest_first(
    customer: Member, session_client: SessionClient
) -> None:
    dear = RewardFactory(name="Hoodie", cost_points=500, stock=None, per_member_limit=1)
    cheap = RewardFactory(name="Coffee", cost_points=100)
    retired = RewardFactory(name="Old mug", is_active=False)
    api = session_client(customer)

    body = api.get("/api/rewards").json()

    assert [item["id"] for item in body["items"]] == [cheap.pk, dear.pk]
    assert body["items"][1]["stock"] is None
    assert body["items"][1]["per_member_limit"] == 1
    assert api.get(f"/api/rewards/{cheap.pk}").json()["name"] == "Coffee"
    assert api.get(f"/api/rewards/{retired.pk}").status_code == 404


def test_redeeming_twice_with_one_key_spends_once(
    customer: Member, session_client: SessionClient
) -> None:
    give_points(customer, 250)
    reward = RewardFactory(cost_points=100, stock=5)
    api = session_client(customer)

    first = _redeem(api, reward.pk, "order-42")
    again = _redeem(api, reward.pk, "order-42")

    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json() == first.json()
    assert first.json()["status"] == "approved"
    assert first.json()["cost_points"] == 100
    assert Redemption.objects.filter(member=customer).count() == 1
    assert LedgerEntry.objects.filter(member=customer, kind=EntryKind.SPEND).count() == 1
    assert api.get("/api/recognition/me").json()["balance"] == 150
    reward.refresh_from_db()
    assert reward.stock == 4


def test_redeem_needs_an_idempotency_key(customer: Member, session_client: SessionClient) -> None:
    give_points(customer, 250)
    reward = RewardFactory()
    api = session_client(customer)

    missing = _redeem(api, reward.pk, None)
    spaced = _redeem(api, reward.pk, "has space")

    assert missing.status_code == 422
    assert error_of(missing)["fields"] == {"Idempotency-Key": ["This field is required."]}
    assert spaced.status_code == 422
    assert Redemption.objects.count() == 0


@pytest.mark.parametrize(
    ("balance", "reward_fields", "code", "message"),
    [
        (50, {"cost_points": 100}, "insufficient_points", "You need 100 points but have 50."),
        (500, {"stock": 0}, "out_of_stock", "This reward is out of stock."),
        (500, {"is_active": False}, "inactive", "This reward is no longer offered."),
    ],
)
def test_redeem_refusals_say_why(
    customer: Member,
    session_client: SessionClient,
    balance: int,
    reward_fields: dict[str, Any],
    code: str,
    message: str,
) -> None:
    give_points(customer, balance)
    reward = RewardFactory(**reward_fields)

    response = _redeem(session_client(customer), reward.pk, "refused")

    assert response.status_code == 409
    assert error_of(response) == {"code": code, "message": message, "fields": {}}
    assert Redemption.objects.count() == 0
    assert not LedgerEntry.objects.filter(kind=EntryKind.SPEND).exists()


def test_redeem_beyond_the_per_member_limit(
    customer: Member, session_client: SessionClient
) -> None:
    give_points(customer, 500)
    reward = RewardFactory(per_member_limit=1)
    api = session_client(customer)
    assert _redeem(api, reward.pk, "limit-1").status_code == 201

    response = _redeem(api, reward.pk, "limit-2")

    assert response.status_code == 409
    assert error_of(response)["code"] == "limit_reached"
    assert Redemption.objects.count() == 1


def test_a_key_used_for_another_reward_or_member_is_refused(
    customer: Member, session_client: SessionClient
) -> None:
    other = make_customer()
    give_points(customer, 500)
    give_points(other, 500)
    coffee, mug = RewardFactory(), RewardFactory()
    assert _redeem(session_client(customer), coffee.pk, "shared-key").status_code == 201

    other_reward = _redeem(session_client(customer), mug.pk, "shared-key")
    other_member = _redeem(session_client(other), coffee.pk, "shared-key")

    for response in (other_reward, other_member):
        assert response.status_code == 409
        assert error_of(response)["code"] == "idempotency_key_reused"
    assert Redemption.objects.count() == 1
    assert LedgerEntry.objects.filter(kind=EntryKind.SPEND).count() == 1


def test_redeem_unknown_reward_is_404(customer: Member, session_client: SessionClient) -> None:
    response = _redeem(session_client(customer), 2_147_483_000, "nothing")

    assert response.status_code == 404


def test_a_read_only_key_cannot_redeem_and_a_write_key_spends_its_creators_points(
    staff: Member, key_client: KeyClient
) -> None:
    give_points(staff, 300)
    reward = RewardFactory()

    refused = _redeem(key_client(staff, [ApiKey.Scope.RECOGNITION_READ]), reward.pk, "k1")
    allowed = _redeem(key_client(staff, [ApiKey.Scope.RECOGNITION_WRITE]), reward.pk, "k2")

    assert refused.status_code == 403
    assert error_of(refused)["code"] == "missing_scope"
    assert allowed.status_code == 201
    assert allowed.json()["member"]["id"] == staff.pk


def test_members_see_only_their_own_redemptions(
    customer: Member, session_client: SessionClient
) -> None:
    other = make_customer()
    give_points(customer, 500)
    give_points(other, 500)
    reward = RewardFactory()
    mine = _redeem(session_client(customer), reward.pk, "mine").json()
    theirs = _redeem(session_client(other), reward.pk, "theirs").json()
    api = session_client(customer)

    listed = api.get("/api/redemptions").json()
    filtered = api.get("/api/redemptions", member_id=other.pk)
    single_theirs = api.get(f"/api/redemptions/{theirs['id']}")

    assert [item["id"] for item in listed["items"]] == [mine["id"]]
    assert filtered.status_code == 403
    assert error_of(filtered)["code"] == "view_redemptions"
    assert single_theirs.status_code == 404
    assert api.get(f"/api/redemptions/{mine['id']}").json() == mine


def test_staff_list_every_redemption_by_status_and_member(staff_client: ApiClient) -> None:
    alice, bob = make_customer(), make_customer()
    for member in (alice, bob):
        give_points(member, 500)
    waiting = RewardFactory(requires_approval=True)
    instant = RewardFactory()
    redeem_reward(member=alice, reward=waiting, idempotency_key="a1")
    redeem_reward(member=alice, reward=instant, idempotency_key="a2")
    latest = redeem_reward(member=bob, reward=waiting, idempotency_key="b1")

    everyone = staff_client.get("/api/redemptions").json()
    requested = staff_client.get("/api/redemptions", status="requested").json()
    alices = staff_client.get("/api/redemptions", member_id=alice.pk).json()
    bad_status = staff_client.get("/api/redemptions", status="lost")

    assert everyone["count"] == 3
    assert everyone["items"][0]["id"] == latest.pk
    assert {item["status"] for item in requested["items"]} == {RedemptionStatus.REQUESTED}
    assert requested["count"] == 2
    assert {item["member"]["id"] for item in alices["items"]} == {alice.pk}
    assert staff_client.get(f"/api/redemptions/{latest.pk}").json()["member"]["id"] == bob.pk
    assert bad_status.status_code == 422
