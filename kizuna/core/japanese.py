"""Japanese names: readings (ふりがな) and the order a Japanese member expects a list of names in.

A reading is stored in hiragana, so ヤマダ, ﾔﾏﾀﾞ and やまだ find the same member. Lists of names
sort by the `JAPANESE_COLLATION`: kana in gojūon order, then kanji, then Latin, case-blind.
On PostgreSQL it is an ICU collation created by a migration; on the embedded SQLite database
the same order is registered as a Python collation when a connection opens.
"""

import re
import unicodedata
from typing import Any

JAPANESE_COLLATION = "kizuna_japanese"
# ICU: Japanese rules with scripts reordered kana (Hrkt), kanji (Hani), then Latin.
JAPANESE_COLLATION_ICU_LOCALE = "ja-u-kr-hrkt-hani-latn"

_KATAKANA_TO_HIRAGANA_OFFSET = ord("ぁ") - ord("ァ")
_READING = re.compile(r"[\u3041-\u3096\u30fc・ 　]+")


def to_hiragana(text: str) -> str:
    """Full-width, hiragana and single-spaced: ﾔﾏﾀﾞ ﾊﾅｺ and ヤマダ　ハナコ both become やまだ はなこ."""
    normalised = unicodedata.normalize("NFKC", text)
    converted = "".join(
        chr(ord(char) + _KATAKANA_TO_HIRAGANA_OFFSET) if "ァ" <= char <= "ヶ" else char
        for char in normalised
    )
    return " ".join(converted.split())


def is_reading(text: str) -> bool:
    """True for text made only of kana, the long-vowel mark, the middle dot and spaces."""
    return bool(_READING.fullmatch(to_hiragana(text)))


def _script_rank(char: str) -> int:
    if "\u3041" <= char <= "\u30ff":
        return 0
    if "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf":
        return 1
    if char.isascii() and char.isalpha():
        return 2
    return 3


def japanese_sort_key(text: str) -> tuple[tuple[int, str], ...]:
    """The SQLite stand-in for the ICU order: script first (kana, kanji, Latin), then the character."""
    return tuple((_script_rank(char), char) for char in to_hiragana(text).casefold())


def compare_japanese(left: str, right: str) -> int:
    left_key, right_key = japanese_sort_key(left), japanese_sort_key(right)
    return (left_key > right_key) - (left_key < right_key)


def register_sqlite_collation(sender: Any, connection: Any, **kwargs: Any) -> None:
    """connection_created receiver: give each SQLite connection the Japanese name order."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(JAPANESE_COLLATION, compare_japanese)
