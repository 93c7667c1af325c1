"""The touch-tier rule (seed 004) on hand-built accounts: Python (`tier_for`) and SQL
(`recompute_tiers`, `tier_counts`) give the answers worked out by hand, account by account."""

from typing import Any

import pytest

from kizuna.customers.models import AccountChange, CustomerAccount, TierSettings, TouchTier
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.customers.tiers import (
    current_tier_settings,
    explain_tier,
    measured_value,
    recompute_tiers,
    tier_counts,
    tier_for,
)
from kizuna.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

HIGH, LOW, TECH = TouchTier.HIGH, TouchTier.LOW, TouchTier.TECH


def bands(**fields: Any) -> TierSettings:
    settings = current_tier_settings()
    defaults: dict[str, Any] = {
        "basis": TierSettings.Basis.ARR,
        "currency": "JPY",
        "high_from_minor": 10_000_000,
        "low_from_minor": 1_200_000,
        "default_lifetime_months": 36,
    }
    for name, value in (defaults | fields).items():
        setattr(settings, name, value)
    settings.save()
    return settings


def account(**fields: Any) -> CustomerAccount:
    # Stored as tech touch whatever the figures: recompute_tiers has to find and move them.
    return CustomerAccountFactory(touch_tier=TECH, **fields)


# ARR basis, high from ¥10,000,000, low from ¥1,200,000: each account's tier by hand.
ARR_FIXTURE: list[tuple[str, dict[str, Any], TouchTier]] = [
    ("exactly the high threshold", {"arr_minor": 10_000_000}, HIGH),
    ("one yen under high", {"arr_minor": 9_999_999}, LOW),
    ("exactly the low threshold", {"arr_minor": 1_200_000}, LOW),
    ("one yen under low", {"arr_minor": 1_199_999}, TECH),
    ("no ARR", {"arr_minor": None}, TECH),
    ("zero ARR", {"arr_minor": 0}, TECH),
    ("strategic tech goes low", {"arr_minor": 1_199_999, "is_strategic": True}, LOW),
    ("strategic low goes high", {"arr_minor": 5_000_000, "is_strategic": True}, HIGH),
    ("strategic high stays high", {"arr_minor": 50_000_000, "is_strategic": True}, HIGH),
    ("strategic without ARR goes low", {"arr_minor": None, "is_strategic": True}, LOW),
    ("override down wins", {"arr_minor": 50_000_000, "tier_override": TECH}, TECH),
    (
        "override wins over strategic",
        {"arr_minor": 0, "is_strategic": True, "tier_override": LOW},
        LOW,
    ),
    ("override up wins", {"arr_minor": None, "tier_override": HIGH}, HIGH),
    ("billed in dollars is not measured", {"arr_minor": 20_000_000, "currency": "USD"}, TECH),
    (
        "billed in dollars, strategic",
        {"arr_minor": 20_000_000, "currency": "USD", "is_strategic": True},
        LOW,
    ),
    ("LTV is ignored on the ARR basis", {"arr_minor": 100, "ltv_minor": 90_000_000}, TECH),
]


@pytest.mark.parametrize(("fields", "expected"), [(f, e) for _n, f, e in ARR_FIXTURE])
def test_tier_for_on_the_arr_basis(fields: dict[str, Any], expected: TouchTier) -> None:
    settings = bands()
    assert tier_for(CustomerAccount(**fields), settings) == expected


def test_sql_recompute_stores_the_hand_worked_tier_of_every_account() -> None:
    bands()
    accounts = {name: account(**fields) for name, fields, _tier in ARR_FIXTURE}
    # Stored tech already: the accounts whose answer is tech do not move.
    moving = sum(1 for _n, _f, tier in ARR_FIXTURE if tier != TECH)
    assert recompute_tiers() == moving
    for name, _fields, expected in ARR_FIXTURE:
        stored = CustomerAccount.objects.get(pk=accounts[name].pk)
        assert (name, stored.touch_tier) == (name, expected.value)
        assert (name, tier_for(stored)) == (name, expected)


# LTV basis, default lifetime 36 months, high from ¥10,000,000, low from ¥1,000,003 (an odd
# figure, to see the rounding). Computed LTV = ARR × months ÷ 12, rounded half up.
LTV_FIXTURE: list[tuple[str, dict[str, Any], int | None, TouchTier]] = [
    (
        "imported LTV wins over ARR × lifetime",
        # computed would be 10,000,000 × 36 ÷ 12 = 30,000,000 (high); the CRM says 2,000,000
        {"arr_minor": 10_000_000, "ltv_minor": 2_000_000},
        2_000_000,
        LOW,
    ),
    (
        "computed with the default lifetime",
        # 400,000 × 36 ÷ 12 = 1,200,000: exactly low
        {"arr_minor": 400_000},
        1_200_000,
        LOW,
    ),
    (
        "computed with the account's lifetime",
        # 400,000 × 24 ÷ 12 = 800,000: tech
        {"arr_minor": 400_000, "expected_lifetime_months": 24},
        800_000,
        TECH,
    ),
    (
        "a half yen rounds up",
        # 2,400,006 × 5 = 12,000,030; ÷ 12 = 1,000,002.5 → 1,000,003 (half up): exactly low
        {"arr_minor": 2_400_006, "expected_lifetime_months": 5},
        1_000_003,
        LOW,
    ),
    (
        "just under after rounding",
        # 2,400,001 × 5 = 12,000,005 ÷ 12 = 1,000,000.41… → 1,000,000 < 1,000,003
        {"arr_minor": 2_400_001, "expected_lifetime_months": 5},
        1_000_000,
        TECH,
    ),
    (
        "computed at the high threshold",
        # 3,000,000 × 40 ÷ 12 = 10,000,000: exactly high
        {"arr_minor": 3_000_000, "expected_lifetime_months": 40},
        10_000_000,
        HIGH,
    ),
    ("imported LTV without ARR", {"arr_minor": None, "ltv_minor": 10_000_000}, 10_000_000, HIGH),
    ("neither", {}, None, TECH),
    ("strategic on LTV", {"arr_minor": 400_000, "is_strategic": True}, 1_200_000, HIGH),
]


def ltv_bands() -> TierSettings:
    return bands(basis=TierSettings.Basis.LTV, low_from_minor=1_000_003)


@pytest.mark.parametrize(
    ("fields", "measure", "expected"), [(f, m, e) for _n, f, m, e in LTV_FIXTURE]
)
def test_tier_for_on_the_ltv_basis(
    fields: dict[str, Any], measure: int | None, expected: TouchTier
) -> None:
    settings = ltv_bands()
    candidate = CustomerAccount(**fields)
    assert measured_value(candidate, settings) == measure
    assert tier_for(candidate, settings) == expected


def test_sql_recompute_on_the_ltv_basis_matches_python() -> None:
    ltv_bands()
    accounts = {name: account(**fields) for name, fields, _m, _t in LTV_FIXTURE}
    recompute_tiers()
    for name, _fields, _measure, expected in LTV_FIXTURE:
        stored = CustomerAccount.objects.get(pk=accounts[name].pk)
        assert (name, stored.touch_tier, tier_for(stored)) == (name, expected.value, expected)


def test_recompute_writes_one_history_row_per_account_that_moved() -> None:
    settings = bands()
    actor = StaffFactory(staff_role="csm")
    big = account(arr_minor=20_000_000)
    middle = account(arr_minor=2_000_000)
    small = account(arr_minor=100_000)
    assert recompute_tiers(actor=actor) == 2
    rows = AccountChange.objects.filter(field="touch_tier").order_by("account_id")
    assert [(r.account_id, r.old_value, r.new_value) for r in rows] == [
        (big.pk, "tech", "high"),
        (middle.pk, "tech", "low"),
    ]
    assert {(r.changed_by_id, r.source) for r in rows} == {(actor.pk, "system")}
    # Raise the low band over the middle account: it alone moves back, with its own row.
    settings.low_from_minor = 3_000_000
    settings.save()
    assert recompute_tiers() == 1
    latest = AccountChange.objects.filter(field="touch_tier").latest("pk")
    assert (latest.account_id, latest.old_value, latest.new_value) == (middle.pk, "low", "tech")
    assert latest.changed_by_id is None
    assert CustomerAccount.objects.get(pk=small.pk).touch_tier == "tech"


def test_a_second_recompute_moves_nothing_and_writes_nothing() -> None:
    bands()
    account(arr_minor=20_000_000)
    account(arr_minor=2_000_000)
    recompute_tiers()
    before = AccountChange.objects.count()
    assert recompute_tiers() == 0
    assert AccountChange.objects.count() == before


def test_recompute_can_be_limited_to_some_accounts() -> None:
    bands()
    chosen = account(arr_minor=20_000_000)
    other = account(arr_minor=20_000_000)
    assert recompute_tiers(CustomerAccount.objects.filter(pk=chosen.pk)) == 1
    assert CustomerAccount.objects.get(pk=chosen.pk).touch_tier == "high"
    assert CustomerAccount.objects.get(pk=other.pk).touch_tier == "tech"


def test_counts_for_unsaved_bands_are_worked_out_in_sql() -> None:
    bands()
    for _name, fields, _tier in ARR_FIXTURE:
        account(**fields)
    CustomerAccountFactory(
        arr_minor=90_000_000, status=CustomerAccount.Status.CHURNED, touch_tier=HIGH
    )
    saved = tier_counts()
    # By hand: high = the threshold, strategic low and high, override up (4); low = one yen
    # under high, the low threshold, strategic tech, strategic without ARR, override to low,
    # dollars strategic (6); the other 6 tech. The churned one is not counted; it is stored
    # high already, so the 10 accounts stored tech but high or low are the ones that move.
    assert (saved.high, saved.low, saved.tech, saved.moving) == (4, 6, 6, 10)
    # Unsaved bands, high from ¥5,000,000 and low from ¥1: 9,999,999 goes high, strategic
    # 1,199,999 goes high, 1,199,999 and ¥100 go low; zero, empty, dollars, override tech stay.
    wider = TierSettings(basis="arr", currency="JPY", high_from_minor=5_000_000, low_from_minor=1)
    preview = tier_counts(wider)
    assert (preview.high, preview.low, preview.tech, preview.moving) == (6, 6, 4, 12)
    assert current_tier_settings().high_from_minor == 10_000_000


def test_the_explanation_says_which_band_and_whether_strategic_raised_it() -> None:
    settings = bands()
    why = explain_tier(CustomerAccount(arr_minor=5_000_000, is_strategic=True), settings)
    assert (why.measured, why.band, why.computed, why.effective, why.raised) == (
        5_000_000,
        LOW,
        HIGH,
        HIGH,
        True,
    )
    overridden = explain_tier(CustomerAccount(arr_minor=5_000_000, tier_override=TECH), settings)
    assert (overridden.computed, overridden.override, overridden.effective) == (LOW, TECH, TECH)
    dollars = explain_tier(CustomerAccount(arr_minor=5_000_000, currency="USD"), settings)
    assert (dollars.other_currency, dollars.measured, dollars.effective) == (True, None, TECH)
    ltv = explain_tier(CustomerAccount(arr_minor=400_000), bands(basis="ltv"))
    assert (ltv.ltv_computed, ltv.lifetime_months, ltv.measured) == (True, 36, 1_200_000)
