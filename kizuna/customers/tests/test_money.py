"""Amounts as people and CRM exports write them, stored in the currency's minor unit."""

import pytest

from kizuna.customers.money import computed_ltv, format_amount, parse_amount


@pytest.mark.parametrize(
    ("text", "currency", "minor"),
    [
        ("12,000,000", "JPY", 12_000_000),
        ("1200万", "JPY", 12_000_000),
        ("1.5億", "JPY", 150_000_000),
        ("¥1,200", "JPY", 1_200),
        ("1,200円", "JPY", 1_200),
        ("99.50", "USD", 9_950),
        ("$1,200.5", "USD", 120_050),
        ("  ", "JPY", None),
    ],
)
def test_reads_amounts_as_written(text: str, currency: str, minor: int | None) -> None:
    assert parse_amount(text, currency) == minor


@pytest.mark.parametrize("text", ["abc", "-5", "1e400", "NaN", "Infinity", "99999999999999999999"])
def test_refuses_what_is_not_an_amount_with_a_value_error(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text, "JPY")


def test_shows_yen_without_decimals_and_dollars_with_cents() -> None:
    assert format_amount(12_000_000, "JPY") == "¥12,000,000"
    assert format_amount(120_050, "USD") == "$1,200.50"
    assert format_amount(None, "JPY") == ""


def test_ltv_is_arr_times_lifetime_in_years_rounded_half_up() -> None:
    assert computed_ltv(1_000_000, 36) == 3_000_000
    # 1,000,001 × 7 / 12 = 583,333.9… → 583,334
    assert computed_ltv(1_000_001, 7) == 583_334
    assert computed_ltv(None, 36) is None
