"""Readings are stored one way whatever kana the member typed, and names sort the Japanese way."""

from kizuna.core.japanese import compare_japanese, is_reading, to_hiragana


def test_katakana_half_width_and_full_width_spaces_become_one_hiragana_form() -> None:
    assert to_hiragana("ヤマダ　ハナコ") == "やまだ はなこ"
    assert to_hiragana("ﾔﾏﾀﾞ ﾊﾅｺ") == "やまだ はなこ"
    assert to_hiragana("  すずき   ") == "すずき"


def test_a_reading_is_kana_only() -> None:
    assert is_reading("やまだ はなこ")
    assert is_reading("ルーシー・グレイ")
    assert not is_reading("山田")
    assert not is_reading("yamada")


def test_the_sqlite_order_puts_kana_then_kanji_then_latin() -> None:
    names = ["Brown", "山田", "あべ", "adams", "サトウ"]
    ordered = sorted(
        names, key=lambda name: [compare_japanese(name, other) for other in names].count(1)
    )
    assert ordered == ["あべ", "サトウ", "山田", "adams", "Brown"]
