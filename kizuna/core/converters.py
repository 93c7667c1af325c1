"""URL path converters: `<id:pk>` is a database id, as `<int:pk>` is not.

Django's `int` converter lets any run of digits through, and a number past the database's
integer range reaches the query: PostgreSQL finds nothing, SQLite raises OverflowError (a
500). An id outside the range is simply a page that does not exist.
"""

from kizuna.core.numbers import DATABASE_INTEGER_MAX, parse_positive_integer


class DatabaseIdConverter:
    regex = f"[0-9]{{1,{len(str(DATABASE_INTEGER_MAX))}}}"

    def to_python(self, value: str) -> int:
        number = parse_positive_integer(value)
        if number is None:
            # Django reads a ValueError as "this pattern does not match": a 404.
            raise ValueError(value)
        return number

    def to_url(self, value: int) -> str:
        return str(value)
