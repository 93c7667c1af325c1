import pytest

from kizuna.core.numbers import DATABASE_INTEGER_MAX, parse_positive_integer


@pytest.mark.parametrize(
    ("text", "number"),
    [("1", 1), ("42", 42), ("007", 7), (str(DATABASE_INTEGER_MAX), DATABASE_INTEGER_MAX)],
)
def test_reads_ascii_digits_within_the_database_range(text: str, number: int) -> None:
    assert parse_positive_integer(text) == number


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "0",
        "-1",
        "+1",
        " 1",
        "1e3",
        "1.0",
        "!!!",
        "\x00",
        "²",  # passes str.isdigit() but int() refuses it
        "١٢",  # Arabic-Indic digits: int() reads 12, but no page link or id is written so
        "１２",  # full-width digits
        str(DATABASE_INTEGER_MAX + 1),  # a bigint overflow in the database
        "99999999999999999999",
        "9" * 10_000,  # int() refuses more than 4,300 digits
    ],
)
def test_rejects_anything_but_a_positive_database_integer(text: str | None) -> None:
    assert parse_positive_integer(text) is None
