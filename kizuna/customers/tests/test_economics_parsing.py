"""What a CRM export or a person writes becomes typed account values, or an error in words."""

import datetime as dt

import pytest

from kizuna.customers.economics import apply_account_values, clean_account_values, parse_date
from kizuna.customers.models import AccountChange, CustomerAccount, Plan, TouchTier
from kizuna.identity.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-01", dt.date(2026, 4, 1)),
        ("2026/4/1", dt.date(2026, 4, 1)),
        ("2026年4月1日", dt.date(2026, 4, 1)),
        ("令和8年4月1日", dt.date(2026, 4, 1)),
        ("4/1/2026", dt.date(2026, 4, 1)),
        ("2026-04-01T09:00:00Z", dt.date(2026, 4, 1)),
    ],
)
def test_reads_the_dates_japanese_and_us_exports_write(text: str, expected: dt.date) -> None:
    assert parse_date(text) == expected


def test_reads_japanese_stage_names_bands_and_yes() -> None:
    Plan.objects.create(name="Enterprise")
    owner = StaffFactory(staff_role="csm", email="owner@vendor.example.jp")
    cleaned = clean_account_values(
        {
            "lifecycle_stage": "解約",
            "employee_band": "250名",
            "is_strategic": "はい",
            "plan": "enterprise",
            "csm_owner": "OWNER@vendor.example.jp",
        }
    )
    assert cleaned.errors == {}
    assert cleaned.values["lifecycle_stage"] == "churned"
    assert cleaned.values["employee_band"] == "50-299"
    assert cleaned.values["is_strategic"] is True
    assert cleaned.values["plan"].name == "Enterprise"
    assert cleaned.values["csm_owner"] == owner


def test_each_bad_value_gets_its_own_error_and_no_value() -> None:
    cleaned = clean_account_values(
        {
            "arr_minor": "たくさん",
            "renewal_date": "2026/13/40",
            "plan": "Nonexistent",
            "csm_owner": "nobody@example.jp",
            "is_strategic": "maybe",
            "expected_lifetime_months": "0",
        }
    )
    assert set(cleaned.errors) == {
        "arr_minor",
        "renewal_date",
        "plan",
        "csm_owner",
        "is_strategic",
        "expected_lifetime_months",
    }
    assert "たくさん" in cleaned.errors["arr_minor"]
    assert cleaned.values == {}


def test_applying_writes_one_history_row_per_changed_field_and_nothing_the_second_time() -> None:
    actor = StaffFactory(staff_role="csm")
    account = CustomerAccount(name="株式会社テスト")
    values = clean_account_values({"arr_minor": "1200万", "region": "関西"}).values
    apply_account_values(account, values, actor=actor, source=AccountChange.Source.IMPORT)
    account.refresh_from_db()
    assert account.arr_minor == 12_000_000
    assert account.touch_tier == TouchTier.HIGH
    assert AccountChange.objects.filter(account=account).count() == 2
    assert apply_account_values(account, values, actor=actor, source="import") == []
    raised = clean_account_values({"arr_minor": "1300万"}).values
    assert apply_account_values(account, raised, actor=actor, source="form") == ["arr_minor"]
    change = AccountChange.objects.get(account=account, source="form")
    assert (change.old_value, change.new_value, change.changed_by) == (
        "12000000",
        "13000000",
        actor,
    )
