"""The touch-tier API: the bands and counts, changing them, an override, the books; and a 403
with a reason for every caller who may not see customer economics."""

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.core.models import AuditEntry
from kizuna.customers.models import AccountChange, CustomerAccount
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import generate_api_key_secret
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db

BANDS = {
    "basis": "arr",
    "currency": "JPY",
    "high_from_minor": 10_000_000,
    "low_from_minor": 1_200_000,
    "default_lifetime_months": 36,
    "high_capacity": 15,
    "low_capacity": 80,
    "tech_capacity": 1000,
}


class Caller:
    """Staff call with an API key (acting as its creator); members with their session."""

    def __init__(self, member: Member, scopes: list[str] | None = None) -> None:
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if member.is_staff_member:
            prefix, secret = generate_api_key_secret()
            ApiKey.objects.create(
                name="test",
                prefix=prefix,
                key_hash=ApiKey.hash_secret(secret),
                scopes=list(ApiKey.Scope.values) if scopes is None else scopes,
                created_by=member,
            )
            self.client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        else:
            Member.objects.filter(pk=member.pk).update(language="en")
            self.client.force_login(member)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body) if body is not None else ""
        return self.client.generic(method, path, data, content_type="application/json")


def csm() -> Caller:
    return Caller(StaffFactory(staff_role="csm"))


def test_get_tiers_gives_the_bands_and_active_accounts_per_tier() -> None:
    current_tier_settings()
    CustomerAccountFactory(arr_minor=10_000_000)  # exactly high
    CustomerAccountFactory(arr_minor=1_199_999)  # just under low
    CustomerAccountFactory(arr_minor=1_200_000, is_strategic=True)  # low, one up: high
    CustomerAccountFactory(arr_minor=90_000_000, status=CustomerAccount.Status.CHURNED)
    body = csm().call("GET", "/api/tiers").json()
    assert {key: body[key] for key in BANDS} == BANDS
    assert body["accounts"] == {"high": 2, "low": 0, "tech": 1}


def test_put_tiers_saves_the_bands_and_says_how_many_accounts_moved() -> None:
    current_tier_settings()
    account = CustomerAccountFactory(arr_minor=5_000_000, touch_tier="low")
    caller = csm()
    response = caller.call("PUT", "/api/tiers", BANDS | {"high_from_minor": 5_000_000})
    assert response.status_code == 200
    body = response.json()
    assert (body["high_from_minor"], body["accounts_moved"]) == (5_000_000, 1)
    assert body["accounts"] == {"high": 1, "low": 0, "tech": 0}
    assert CustomerAccount.objects.get(pk=account.pk).touch_tier == "high"
    change = AccountChange.objects.get(account=account)
    assert (change.old_value, change.new_value, change.source) == ("low", "high", "system")
    # The same PUT again is a no-op.
    again = caller.call("PUT", "/api/tiers", BANDS | {"high_from_minor": 5_000_000}).json()
    assert again["accounts_moved"] == 0
    assert AuditEntry.objects.filter(action="tiers.bands_changed").count() == 1


def test_put_tiers_with_high_not_above_low_is_422_with_the_field() -> None:
    response = csm().call("PUT", "/api/tiers", BANDS | {"high_from_minor": 1_200_000})
    assert response.status_code == 422
    assert response.json()["error"]["fields"]["high_from_minor"] == [
        "The high-touch threshold must be above the low-touch threshold."
    ]
    assert current_tier_settings().high_from_minor == 10_000_000


def test_put_tiers_with_a_negative_threshold_is_422() -> None:
    response = csm().call("PUT", "/api/tiers", BANDS | {"low_from_minor": -1})
    assert response.status_code == 422
    assert "low_from_minor" in response.json()["error"]["fields"]


def test_an_override_by_api_is_recorded_with_source_api() -> None:
    current_tier_settings()
    account = CustomerAccountFactory(arr_minor=20_000_000, touch_tier="high")
    path = f"/api/accounts/{account.pk}/tier-override"
    body = csm().call("POST", path, {"tier": "low", "reason": "グループ会社で一括対応"}).json()
    assert body == {
        "account_id": account.pk,
        "touch_tier": "low",
        "computed_tier": "high",
        "tier_override": "low",
        "tier_override_reason": "グループ会社で一括対応",
        "is_strategic": False,
        "changed": True,
    }
    assert AccountChange.objects.get(account=account, field="touch_tier").source == "api"
    cleared = csm().call("POST", path, {"tier": None, "reason": "解除"}).json()
    assert (cleared["touch_tier"], cleared["tier_override"]) == ("high", None)


def test_an_override_without_a_reason_is_422_and_changes_nothing() -> None:
    account = CustomerAccountFactory(arr_minor=20_000_000, touch_tier="high")
    response = csm().call(
        "POST", f"/api/accounts/{account.pk}/tier-override", {"tier": "low", "reason": ""}
    )
    assert response.status_code == 422
    assert "reason" in response.json()["error"]["fields"]
    assert CustomerAccount.objects.get(pk=account.pk).tier_override == ""


def test_an_override_of_a_missing_account_is_404() -> None:
    response = csm().call(
        "POST", "/api/accounts/999999/tier-override", {"tier": "low", "reason": "x"}
    )
    assert response.status_code == 404


def test_books_list_each_csm_with_counts_against_capacity_and_the_unowned() -> None:
    settings = current_tier_settings()
    settings.high_capacity = 1
    settings.save()
    owner = StaffFactory(staff_role="csm", display_name="Aoki")
    soon = timezone.localdate() + dt.timedelta(days=30)
    CustomerAccountFactory(csm_owner=owner, touch_tier="high", arr_minor=20_000_000)
    CustomerAccountFactory(
        csm_owner=owner, touch_tier="high", arr_minor=30_000_000, renewal_date=soon
    )
    CustomerAccountFactory(csm_owner=None, touch_tier="tech", arr_minor=100_000)
    body = Caller(owner).call("GET", "/api/books").json()
    assert (body["count"], body["currency"]) == (1, "JPY")
    [book] = body["items"]
    assert (book["member_id"], book["name"], book["total"], book["arr_minor"]) == (
        owner.pk,
        "Aoki",
        2,
        50_000_000,
    )
    assert book["tiers"][0] == {
        "tier": "high",
        "count": 2,
        "capacity": 1,
        "over_capacity": True,
        "arr_minor": 50_000_000,
    }
    assert book["renewals_next_90_days"] == 1
    assert body["unowned"]["total"] == 1
    assert body["unowned"]["tiers"][2]["arr_minor"] == 100_000


@pytest.mark.parametrize(
    ("role", "reads", "writes"),
    [
        ("administrator", 200, 200),
        ("csm", 200, 200),
        ("sales", 200, 403),
        ("executive", 200, 403),
        ("marketing", 403, 403),
        ("community_manager", 403, 403),
        ("moderator", 403, 403),
        ("product_manager", 403, 403),
    ],
)
def test_who_may_read_and_change_tiers(role: str, reads: int, writes: int) -> None:
    account = CustomerAccountFactory(arr_minor=20_000_000, touch_tier="high")
    caller = Caller(StaffFactory(staff_role=role))
    for path in ("/api/tiers", "/api/books"):
        assert caller.call("GET", path).status_code == reads, path
    assert caller.call("PUT", "/api/tiers", BANDS).status_code == writes
    override = caller.call(
        "POST", f"/api/accounts/{account.pk}/tier-override", {"tier": "low", "reason": "x"}
    )
    assert override.status_code == writes


def test_staff_without_economics_are_told_why_and_see_no_figure() -> None:
    CustomerAccountFactory(arr_minor=20_000_000)
    caller = Caller(StaffFactory(staff_role="marketing"))
    response = caller.call("GET", "/api/tiers")
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "economics_hidden"
    assert "customer economics" in error["message"]
    assert "10000000" not in response.content.decode()


def test_sales_may_read_but_are_told_why_they_cannot_change_the_bands() -> None:
    response = Caller(StaffFactory(staff_role="sales")).call("PUT", "/api/tiers", BANDS)
    assert response.json()["error"]["code"] == "cannot_configure_tiers"


def test_a_marketer_granted_economics_reads_tiers() -> None:
    marketer = StaffFactory(staff_role="marketing", granted_capabilities=["view_account_economics"])
    assert Caller(marketer).call("GET", "/api/tiers").status_code == 200


def test_a_member_is_refused_as_not_staff() -> None:
    response = Caller(MemberFactory()).call("GET", "/api/tiers")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "staff_only"
    assert Caller(MemberFactory()).call("GET", "/api/books").status_code == 403


def test_a_key_without_the_success_scope_is_refused() -> None:
    caller = Caller(StaffFactory(staff_role="csm"), scopes=["accounts:read"])
    response = caller.call("GET", "/api/tiers")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "missing_scope")
    reader = Caller(StaffFactory(staff_role="csm"), scopes=["success:read"])
    assert reader.call("PUT", "/api/tiers", BANDS).status_code == 403
