"""Whole numbers read from untrusted text: ids and page numbers in query strings and form fields."""

# Ids are BigAutoFields: PostgreSQL's bigint and SQLite's INTEGER both end here, and a larger
# number in a query is an OverflowError on SQLite rather than "no match".
DATABASE_INTEGER_MAX = 2**63 - 1
_MAX_DIGITS = len(str(DATABASE_INTEGER_MAX))


def parse_positive_integer(text: str | None) -> int | None:
    """`text` as an id or page number (ASCII digits, 1 to DATABASE_INTEGER_MAX), else None.

    str.isdigit() alone lets through "²", which int() refuses, and digits of other scripts,
    which no link of ours writes; int() alone accepts signs, spaces and "١٢".
    """
    if not text or len(text) > _MAX_DIGITS or not (text.isascii() and text.isdigit()):
        return None
    number = int(text)
    return number if 1 <= number <= DATABASE_INTEGER_MAX else None
