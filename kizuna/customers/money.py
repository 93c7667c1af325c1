"""Amounts in a currency's minor unit: parsing what people type, showing what is stored, LTV."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format

# ISO 4217 exponents for the currencies Japanese SaaS vendors bill in; others default to 2.
MINOR_UNIT_EXPONENTS = {"JPY": 0, "KRW": 0, "USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "SGD": 2}
# A PostgreSQL bigint; no account's ARR comes near it, but a typo can.
MAX_MINOR = 2**63 - 1
CURRENCY_SYMBOLS = {"JPY": "¥", "USD": "$", "EUR": "€", "GBP": "£"}


def exponent(currency: str) -> int:
    return MINOR_UNIT_EXPONENTS.get(currency.upper(), 2)


def parse_amount(text: str | int | Decimal | None, currency: str) -> int | None:
    """'12,000,000', '1200万', '¥1,200', '99.50' → minor units; None for blank; ValueError if not money."""
    if text is None:
        return None
    raw = str(text).strip().replace(",", "").replace("，", "").replace(" ", "")
    for symbol in (*CURRENCY_SYMBOLS.values(), "￥", "円", currency.upper()):
        raw = raw.replace(symbol, "")
    if not raw:
        return None
    multiplier = Decimal(1)
    for suffix, factor in (("億", 100_000_000), ("万", 10_000), ("千", 1_000)):
        if raw.endswith(suffix):
            raw, multiplier = raw[: -len(suffix)], Decimal(factor)
            break
    try:
        value = Decimal(raw) * multiplier
        if not value.is_finite() or value < 0:
            raise ValueError(raw)
        minor = (value * (Decimal(10) ** exponent(currency))).quantize(
            Decimal(1), rounding=ROUND_HALF_UP
        )
    except InvalidOperation as error:
        # '1e400' reads as a number but no integer column holds it.
        raise ValueError(raw) from error
    if minor > MAX_MINOR:
        raise ValueError(raw)
    return int(minor)


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor) / (Decimal(10) ** exponent(currency))


def format_amount(minor: int | None, currency: str) -> str:
    """'¥12,000,000' or '$1,200.50'; an empty string for an unknown amount."""
    if minor is None:
        return ""
    places = exponent(currency)
    figure = number_format(to_major(minor, currency), decimal_pos=places, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    return f"{symbol}{figure}" if symbol else f"{figure} {currency.upper()}"


def computed_ltv(arr_minor: int | None, lifetime_months: int) -> int | None:
    """LTV = ARR × expected lifetime in years (the formula shown next to a computed LTV)."""
    if arr_minor is None:
        return None
    return int(
        (Decimal(arr_minor) * lifetime_months / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    )
