"""Saving the bands and setting one account's tier: validation, who may, and what is recorded."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kizuna.core.models import AuditEntry
from kizuna.customers.models import AccountChange, CustomerAccount, TierSettings
from kizuna.customers.tests.factories import CustomerAccountFactory
from kizuna.customers.tier_services import (
    TierBands,
    preview_tier_bands,
    set_account_tier,
    update_tier_settings,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import StaffFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def bands(**changes: Any) -> TierBands:
    values: dict[str, Any] = {
        "basis": "arr",
        "currency": "JPY",
        "high_from_minor": 10_000_000,
        "low_from_minor": 1_200_000,
        "default_lifetime_months": 36,
        "high_capacity": 15,
        "low_capacity": 80,
        "tech_capacity": 1000,
    }
    return TierBands(**(values | changes))


@pytest.fixture
def csm() -> Member:
    staff: Member = StaffFactory(staff_role="csm")
    return staff


def test_saving_bands_moves_accounts_records_history_and_audits(csm: Member) -> None:
    current_tier_settings()
    big = CustomerAccountFactory(arr_minor=8_000_000, touch_tier="low")
    small = CustomerAccountFactory(arr_minor=500_000, touch_tier="tech")
    saved = update_tier_settings(
        actor=csm, bands=bands(high_from_minor=8_000_000, low_from_minor=400_000)
    )
    # 8,000,000 is exactly the new high threshold; 500,000 is over the new low one.
    assert (saved.bands_changed, saved.accounts_moved) == (True, 2)
    assert CustomerAccount.objects.get(pk=big.pk).touch_tier == "high"
    assert CustomerAccount.objects.get(pk=small.pk).touch_tier == "low"
    settings = TierSettings.objects.get()
    assert (settings.high_from_minor, settings.low_from_minor, settings.updated_by) == (
        8_000_000,
        400_000,
        csm,
    )
    assert AccountChange.objects.filter(field="touch_tier", source="system").count() == 2
    entry = AuditEntry.objects.get(action="tiers.bands_changed")
    assert entry.actor == csm
    assert entry.details["accounts_moved"] == 2
    assert entry.details["before"]["high_from"] == "¥10,000,000"
    assert entry.details["after"]["high_from"] == "¥8,000,000"


def test_saving_the_same_bands_again_writes_nothing(csm: Member) -> None:
    CustomerAccountFactory(arr_minor=20_000_000, touch_tier="high")
    update_tier_settings(actor=csm, bands=bands())
    again = update_tier_settings(actor=csm, bands=bands())
    assert (again.bands_changed, again.accounts_moved) == (False, 0)
    assert not AuditEntry.objects.filter(action="tiers.bands_changed").exists()
    assert not AccountChange.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"high_from_minor": 1_200_000}, "high_from_minor"),  # equal to low: not above it
        ({"high_from_minor": 1_000_000}, "high_from_minor"),
        ({"low_from_minor": -1}, "low_from_minor"),
        ({"currency": "円"}, "currency"),
        ({"basis": "mrr"}, "basis"),
        ({"default_lifetime_months": 0}, "default_lifetime_months"),
        ({"low_capacity": 0}, "low_capacity"),
        ({"high_from_minor": 10**16}, "high_from_minor"),
    ],
)
def test_bad_bands_are_refused_with_the_field_and_nothing_changes(
    csm: Member, changes: dict[str, Any], field: str
) -> None:
    account = CustomerAccountFactory(arr_minor=5_000_000, touch_tier="tech")
    before = TierBands.of(current_tier_settings())
    with pytest.raises(ValidationError) as refused:
        update_tier_settings(actor=csm, bands=bands(**changes))
    assert field in refused.value.message_dict
    assert TierBands.of(current_tier_settings()) == before
    assert CustomerAccount.objects.get(pk=account.pk).touch_tier == "tech"


def test_the_high_threshold_error_says_what_is_wrong(csm: Member) -> None:
    with pytest.raises(ValidationError) as refused:
        update_tier_settings(actor=csm, bands=bands(high_from_minor=1_200_000))
    assert refused.value.message_dict["high_from_minor"] == [
        "The high-touch threshold must be above the low-touch threshold."
    ]


@pytest.mark.parametrize("role", ["sales", "executive", "marketing", "community_manager"])
def test_roles_that_may_not_configure_or_see_economics_cannot_save_bands(role: str) -> None:
    staff = StaffFactory(staff_role=role)
    with pytest.raises(PermissionDenied):
        update_tier_settings(actor=staff, bands=bands(high_from_minor=20_000_000))
    with pytest.raises(PermissionDenied):
        preview_tier_bands(actor=staff, bands=bands())
    assert current_tier_settings().high_from_minor == 10_000_000


def test_preview_counts_without_saving(csm: Member) -> None:
    CustomerAccountFactory(arr_minor=3_000_000)
    CustomerAccountFactory(arr_minor=300_000)
    counts = preview_tier_bands(actor=csm, bands=bands(low_from_minor=300_000))
    assert (counts.high, counts.low, counts.tech) == (0, 2, 0)
    assert current_tier_settings().low_from_minor == 1_200_000


def test_an_override_needs_a_reason_and_changes_nothing_without_one(csm: Member) -> None:
    account = CustomerAccountFactory(arr_minor=20_000_000, touch_tier="high")
    with pytest.raises(ValidationError) as refused:
        set_account_tier(actor=csm, account=account, tier_override="tech", reason="  ")
    assert "reason" in refused.value.message_dict
    account.refresh_from_db()
    assert (account.tier_override, account.touch_tier) == ("", "high")
    assert not AccountChange.objects.exists()


def test_an_override_wins_and_is_recorded_with_who_from_to_and_why(csm: Member) -> None:
    current_tier_settings()
    account = CustomerAccountFactory(arr_minor=20_000_000, touch_tier="high")
    result = set_account_tier(
        actor=csm, account=account, tier_override="low", reason="子会社として親会社と一括で対応"
    )
    assert result.changed_fields == ["tier_override", "tier_override_reason", "touch_tier"]
    account.refresh_from_db()
    assert (account.touch_tier, account.tier_override) == ("low", "low")
    assert account.tier_override_reason == "子会社として親会社と一括で対応"
    changes = {
        c.field: (c.old_value, c.new_value, c.changed_by, c.source) for c in account.changes.all()
    }
    assert changes["touch_tier"] == ("high", "low", csm, "form")
    assert changes["tier_override"] == ("", "low", csm, "form")
    entry = AuditEntry.objects.get(action="account.tier_set")
    assert (entry.actor, entry.reason, entry.target_id) == (
        csm,
        "子会社として親会社と一括で対応",
        str(account.pk),
    )
    assert entry.details["before"]["touch_tier"] == "high"
    assert entry.details["after"]["touch_tier"] == "low"


def test_clearing_the_override_returns_the_account_to_its_band(csm: Member) -> None:
    current_tier_settings()
    account = CustomerAccountFactory(
        arr_minor=2_000_000,
        tier_override="high",
        tier_override_reason="試験導入",
        touch_tier="high",
    )
    set_account_tier(actor=csm, account=account, tier_override=None, reason="試験導入が終わった")
    account.refresh_from_db()
    assert (account.touch_tier, account.tier_override, account.tier_override_reason) == (
        "low",
        "",
        "",
    )


def test_the_strategic_flag_raises_the_account_one_tier(csm: Member) -> None:
    current_tier_settings()
    account = CustomerAccountFactory(arr_minor=2_000_000, touch_tier="low")
    set_account_tier(
        actor=csm, account=account, tier_override="", is_strategic=True, reason="業界の旗艦顧客"
    )
    account.refresh_from_db()
    assert (account.is_strategic, account.touch_tier) == (True, "high")
    assert account.changes.get(field="is_strategic").new_value == "yes"


def test_sending_what_the_account_has_changes_nothing(csm: Member) -> None:
    current_tier_settings()
    account = CustomerAccountFactory(arr_minor=2_000_000, touch_tier="low")
    result = set_account_tier(
        actor=csm, account=account, tier_override="", is_strategic=False, reason="確認"
    )
    assert not result.changed
    assert not AccountChange.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", ["sales", "executive", "marketing", "community_manager"])
def test_roles_without_manage_and_economics_cannot_set_a_tier(role: str) -> None:
    account = CustomerAccountFactory(arr_minor=2_000_000, touch_tier="low")
    with pytest.raises(PermissionDenied):
        set_account_tier(
            actor=StaffFactory(staff_role=role), account=account, tier_override="high", reason="x"
        )
    account.refresh_from_db()
    assert account.tier_override == ""
