from kizuna.search.tokenize import (
    SUDACHI_CHUNK_BYTES,
    analyze,
    cjk_grams,
    normalize,
    parse_query,
    sudachi_chunks,
)


def test_cjk_run_becomes_overlapping_bigrams_and_its_last_character() -> None:
    assert cjk_grams("請求書") == ["請求", "求書", "書"]


def test_single_character_run_is_kept_whole() -> None:
    assert cjk_grams("本") == ["本"]


def test_full_width_and_upper_case_are_normalised() -> None:
    assert normalize("ＣＳＶ　ｴｸｽﾎﾟｰﾄ") == "csv エクスポート"


def test_analyze_separates_japanese_runs_from_latin_words() -> None:
    terms = analyze("CSVを出力 Exporting invoices")
    assert terms.grams == [["を出", "出力", "力"]]
    assert terms.latin == ["csv", "exporting", "invoices"]


def test_analyze_adds_sudachi_words_and_their_parts_without_particles() -> None:
    terms = analyze("請求書を発行する")
    assert "請求書" in terms.morphemes
    assert "請求" in terms.morphemes
    assert "発行" in terms.morphemes
    assert "を" not in terms.morphemes


def test_query_words_separated_by_spaces_are_each_required() -> None:
    parsed = parse_query("請求書　発行")
    assert [term.text for term in parsed.terms] == ["請求書", "発行"]


def test_long_japanese_query_is_split_into_content_words() -> None:
    parsed = parse_query("請求書の発行をしたい")
    assert [term.text for term in parsed.terms] == ["請求書", "発行"]


def test_query_mixes_latin_and_japanese_in_one_word() -> None:
    parsed = parse_query("CSV出力")
    assert [(term.text, term.is_cjk) for term in parsed.terms] == [("csv", False), ("出力", True)]


def test_query_of_punctuation_only_is_empty() -> None:
    assert parse_query("「」、。!?").is_empty


LONG_SENTENCE = "請求書の発行手順を確認しました。\n"


def test_sudachi_chunks_end_at_line_breaks_and_rejoin_into_the_text() -> None:
    text = LONG_SENTENCE * 5000
    chunks = sudachi_chunks(text)
    assert len(chunks) > 1
    assert "".join(chunks) == text
    assert all(len(chunk.encode()) <= SUDACHI_CHUNK_BYTES for chunk in chunks)
    assert all(chunk.endswith("。\n") for chunk in chunks)


def test_sudachi_chunks_cut_a_run_without_breaks_between_characters() -> None:
    text = "あ𠮷" * 30_000  # 3- and 4-byte characters: no cut may split one
    chunks = sudachi_chunks(text)
    assert "".join(chunks) == text
    assert all(len(chunk.encode()) <= SUDACHI_CHUNK_BYTES for chunk in chunks)


def test_analyze_reads_words_to_the_end_of_a_text_longer_than_sudachi_accepts() -> None:
    text = LONG_SENTENCE * 3300 + "最後に図書館"  # 50,000 characters, 150,000 bytes
    terms = analyze(text)
    assert "図書館" in terms.morphemes
    assert terms.grams[-1] == ["最後", "後に", "に図", "図書", "書館", "館"]


def test_analyze_reads_words_at_the_end_of_one_long_run_without_breaks() -> None:
    terms = analyze("あいうえお" * 10_000 + "図書館")
    assert "図書館" in terms.morphemes
