"""Turning Japanese and English text into search terms (ADR 0006).

Japanese text becomes overlapping character bigrams, plus the last character of each
run as a unigram, so every substring of one or more characters is found (a 1-character
query is a prefix match). SudachiPy morphemes (normalised split-C words and their
split-A parts) are added for ranking. Latin words are handed to the database's English
stemmer (PostgreSQL's `english` configuration, SQLite FTS5's `porter` tokenizer), so this
module only lower-cases and collects them.
"""

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sudachipy import Dictionary, SplitMode  # type: ignore[import-untyped]

# Hiragana, katakana (with ー), CJK ideographs (+ extension A, compatibility), 々 〆 ヶ, Hangul.
_CJK = "\u3005\u3006\u3040-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_RUNS = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<latin>[a-z0-9]+(?:['’][a-z]+)?)")
_KANJI_HEAD = re.compile(r"^[\u3005\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
# Parts of speech that carry no meaning of their own in a query: particles, auxiliaries, symbols.
_FUNCTION_POS = {"助詞", "助動詞", "補助記号", "空白", "記号", "接尾辞"}
_CONTENT_POS = {"名詞", "代名詞", "形状詞", "接頭辞", "副詞", "連体詞", "感動詞", "接続詞"}
MAX_QUERY_TERMS = 12
# SudachiPy 0.7 refuses input over 49,149 UTF-8 bytes (measured: 16,383 kana, 12,287 emoji).
# Longer text is read in chunks well under that, in case another release lowers it.
SUDACHI_CHUNK_BYTES = 32_768
# Where a chunk may end: after whitespace or a sentence's end, so no word is cut in two.
_CHUNK_BREAK = re.compile(r"[\s。．！？!?]")


def normalize(text: str) -> str:
    """NFKC (full-width letters and half-width kana become ordinary) and lower case."""
    return unicodedata.normalize("NFKC", text).lower()


@lru_cache(maxsize=1)
def _dictionary() -> Any:
    # The dictionary is immutable and takes ~0.1 s to load: load it once per process.
    return Dictionary()


_per_thread = threading.local()


def _tokenizer() -> Any:
    """A tokenizer per thread (a tokenizer keeps per-call state); all share the dictionary."""
    tokenizer: Any = getattr(_per_thread, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _dictionary().tokenizer()
        _per_thread.tokenizer = tokenizer
    return tokenizer


def cjk_grams(run: str) -> list[str]:
    """Overlapping bigrams of a CJK run and its last character, in text order."""
    if len(run) == 1:
        return [run]
    return [run[i : i + 2] for i in range(len(run) - 1)] + [run[-1]]


@dataclass
class TextTerms:
    """The terms of one field of a document."""

    grams: list[list[str]] = field(default_factory=list)  # one list per CJK run
    morphemes: list[str] = field(default_factory=list)
    latin: list[str] = field(default_factory=list)

    def gram_text(self) -> str:
        """The bigram stream as space-separated tokens (what SQLite FTS5 indexes)."""
        return " ".join(gram for run in self.grams for gram in run)


def sudachi_chunks(text: str, limit: int = SUDACHI_CHUNK_BYTES) -> list[str]:
    """The text in consecutive pieces of at most `limit` UTF-8 bytes, each ending at the last
    break that fits, or between two characters when a run has no break at all."""
    if len(text.encode()) <= limit:
        return [text]
    chunks: list[str] = []
    start = 0
    while start < len(text):
        # The longest prefix that fits: cut the bytes, then drop a character left incomplete.
        window = text[start : start + limit].encode()[:limit].decode(errors="ignore")
        if start + len(window) < len(text):
            last_break = max((match.end() for match in _CHUNK_BREAK.finditer(window)), default=0)
            if last_break:
                window = window[:last_break]
        chunks.append(window)
        start += len(window)
    return chunks


def morphemes(text: str) -> list[str]:
    """Normalised Sudachi words (split C) and their split-A parts that contain CJK characters."""
    found: list[str] = []
    tokenizer = _tokenizer()
    for chunk in sudachi_chunks(text):
        found.extend(_chunk_morphemes(tokenizer, chunk))
    return found


def _chunk_morphemes(tokenizer: Any, text: str) -> list[str]:
    found: list[str] = []
    for morpheme in tokenizer.tokenize(text, SplitMode.C):
        if morpheme.part_of_speech()[0] in _FUNCTION_POS:
            continue
        forms = [morpheme.normalized_form()]
        parts = morpheme.split(SplitMode.A)
        if len(parts) > 1:
            forms.extend(part.normalized_form() for part in parts)
        found.extend(form for form in forms if _IS_CJK.search(form))
    return found


def analyze(text: str) -> TextTerms:
    """Split a document field into bigram runs, morphemes and latin words."""
    normalized = normalize(text)
    terms = TextTerms()
    cjk_runs: list[str] = []
    for match in _RUNS.finditer(normalized):
        if match.group("cjk"):
            cjk_runs.append(match.group("cjk"))
            terms.grams.append(cjk_grams(match.group("cjk")))
        else:
            terms.latin.append(match.group("latin"))
    if cjk_runs:
        # Sudachi reads the runs joined by a space so words do not join across Latin text.
        terms.morphemes = morphemes(" ".join(cjk_runs))
    return terms


@dataclass(frozen=True)
class QueryTerm:
    """One thing the query requires: a CJK substring, or a Latin word to be stemmed."""

    text: str
    is_cjk: bool

    @property
    def grams(self) -> list[str]:
        """The bigram phrase that finds this substring; a single character is a prefix."""
        if len(self.text) == 1:
            return [self.text]
        return [self.text[i : i + 2] for i in range(len(self.text) - 1)]


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[QueryTerm, ...]
    rank_morphemes: tuple[str, ...]

    @property
    def is_empty(self) -> bool:
        return not self.terms

    @property
    def cjk_terms(self) -> list[QueryTerm]:
        return [term for term in self.terms if term.is_cjk]

    @property
    def latin_words(self) -> list[str]:
        return [term.text for term in self.terms if not term.is_cjk]


def _content_words(run: str) -> list[str]:
    """A long CJK query run split into its content words (「請求書の発行」→ 請求書, 発行)."""
    words: list[str] = []
    for morpheme in _tokenizer().tokenize(run, SplitMode.C):
        pos = morpheme.part_of_speech()[0]
        surface = morpheme.surface()
        if pos in _CONTENT_POS:
            words.append(surface)
        elif pos not in _FUNCTION_POS:
            # Verbs and adjectives inflect (発行する / 発行します): keep only the kanji stem.
            head = _KANJI_HEAD.match(surface)
            if head:
                words.append(head.group())
    return words or [run]


def parse_query(query: str) -> ParsedQuery:
    """Every whitespace-separated word must match; long Japanese runs are split into words."""
    terms: list[QueryTerm] = []
    for match in _RUNS.finditer(normalize(query)):
        if match.group("latin"):
            terms.append(QueryTerm(match.group("latin"), is_cjk=False))
            continue
        run = match.group("cjk")
        words = [run] if len(run) <= 2 else _content_words(run)
        terms.extend(QueryTerm(word, is_cjk=True) for word in words)
    unique = tuple(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
    cjk_text = " ".join(term.text for term in unique if term.is_cjk)
    rank = tuple(dict.fromkeys(morphemes(cjk_text))) if cjk_text else ()
    return ParsedQuery(terms=unique, rank_morphemes=rank)
