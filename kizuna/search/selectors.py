"""Searching posts (ADR 0006). Reads only; the page, the API and the composer share these.

The visibility rule (`posts_visible_to`) is a subquery of every search, so results and
counts never include a post the viewer may not read. Matching uses the GIN/FTS5 index;
only the most recent RANK_CANDIDATES matches are ranked, never every hit.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import connection
from django.db.models import BooleanField, Expression, FloatField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from kizuna.content.models import PostType
from kizuna.content.permissions import posts_visible_to
from kizuna.identity.permissions import Viewer
from kizuna.search.models import SearchDocument
from kizuna.search.tokenize import ParsedQuery, QueryTerm, normalize, parse_query

RANK_CANDIDATES = 200
COUNT_LIMIT = 1000  # counting every hit of a common word costs a scan; "1,000+" is enough
PAGE_SIZE = 20  # divides RANK_CANDIDATES, so no page straddles ranked and unranked results
SIMILAR_LIMIT = 5
SNIPPET_CHARS = 160
_RECENT = ("-last_activity_at", "-post_id")
_LATIN_SUFFIXES = ("ing", "ies", "es", "ed", "ly", "s")


# ------------------------------------------------------------- engine-specific SQL


def _tsquery_lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery_term(term: QueryTerm) -> str:
    grams = term.grams
    if len(term.text) == 1:
        return _tsquery_lexeme(grams[0]) + ":*"
    return "(" + " <-> ".join(_tsquery_lexeme(gram) for gram in grams) + ")"


def _postgres_query(parsed: ParsedQuery, *, require_all: bool) -> tuple[str, list[Any]]:
    """SQL for a tsquery: CJK phrases as a `simple` tsquery, Latin words through `english`."""
    operator = " & " if require_all else " | "
    parts: list[str] = []
    params: list[Any] = []
    cjk = [_tsquery_term(term) for term in parsed.cjk_terms]
    if cjk:
        parts.append("%s::tsquery")
        params.append(operator.join(cjk))
    words = parsed.latin_words
    if words and require_all:
        parts.append("plainto_tsquery('english', %s)")
        params.append(" ".join(words))
    else:
        for word in words:
            parts.append("plainto_tsquery('english', %s)")
            params.append(word)
    return "(" + (" && " if require_all else " || ").join(parts) + ")", params


def _fts_term(term: QueryTerm) -> str:
    if term.is_cjk and len(term.text) == 1:
        return f'"{term.text}"*'
    text = " ".join(term.grams) if term.is_cjk else term.text
    return '"' + text.replace('"', '""') + '"'


def _fts_query(parsed: ParsedQuery, *, require_all: bool) -> str:
    return (" AND " if require_all else " OR ").join(_fts_term(term) for term in parsed.terms)


def _match(parsed: ParsedQuery, *, require_all: bool) -> Expression | Q:
    if connection.vendor == "postgresql":
        sql, params = _postgres_query(parsed, require_all=require_all)
        return RawSQL(f"search_vector @@ {sql}", params, output_field=BooleanField())
    return Q(
        post_id__in=RawSQL(
            "SELECT rowid FROM search_fts WHERE search_fts MATCH %s",
            [_fts_query(parsed, require_all=require_all)],
        )
    )


def _rank(parsed: ParsedQuery, *, require_all: bool) -> Expression:
    """Relevance, higher is better: the query's terms plus its Sudachi words (title weighs most)."""
    if connection.vendor == "postgresql":
        sql, params = _postgres_query(parsed, require_all=require_all)
        if parsed.rank_morphemes:
            sql = f"({sql} || %s::tsquery)"
            params.append(" | ".join(_tsquery_lexeme(word) for word in parsed.rank_morphemes))
        return RawSQL(f"ts_rank(search_vector, {sql}, 1)", params, output_field=FloatField())
    fts = _fts_query(parsed, require_all=require_all)
    if parsed.rank_morphemes:
        words = " OR ".join('"' + word + '"' for word in parsed.rank_morphemes)
        fts = f"({fts}) OR morphemes : ({words})"
    return RawSQL(
        "-(SELECT bm25(search_fts, 10.0, 3.0, 1.0, 2.0) FROM search_fts"
        " WHERE search_fts MATCH %s AND rowid = search_searchdocument.post_id)",
        [fts],
        output_field=FloatField(),
    )


# ------------------------------------------------------------- highlighting


def _highlight_pattern(parsed: ParsedQuery) -> re.Pattern[str] | None:
    alternatives: list[str] = []
    for term in parsed.terms:
        if term.is_cjk:
            alternatives.append(re.escape(term.text))
            continue
        stem = term.text
        for suffix in _LATIN_SUFFIXES:
            if stem.endswith(suffix) and len(stem) - len(suffix) >= 3:
                stem = stem[: -len(suffix)]
                break
        alternatives.append(rf"\b{re.escape(stem)}\w*")
    if not alternatives:
        return None
    alternatives.sort(key=len, reverse=True)
    return re.compile("|".join(alternatives), re.IGNORECASE)


def _mark(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    """Escape the text, then wrap the query's terms in <mark>; nothing else becomes HTML."""
    if pattern is None:
        return escape(text)
    pieces: list[str] = []
    last = 0
    for found in pattern.finditer(text):
        pieces.append(escape(text[last : found.start()]))
        pieces.append(f"<mark>{escape(found.group())}</mark>")
        last = found.end()
    pieces.append(escape(text[last:]))
    return mark_safe("".join(pieces))  # every piece was escaped above


def _snippet(text: str, pattern: re.Pattern[str] | None) -> SafeString:
    found = pattern.search(text) if pattern else None
    start = max(0, found.start() - SNIPPET_CHARS // 4) if found else 0
    end = start + SNIPPET_CHARS
    excerpt = text[start:end]
    marked = _mark(excerpt, pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + marked + suffix)  # marked is escaped


# ------------------------------------------------------------- results


def post_url(post_id: int) -> str:
    """The thread's address (the content app names it; this stays usable while it is mounted)."""
    try:
        return reverse("content:post-detail", args=[post_id])
    except NoReverseMatch:
        return f"/posts/{post_id}/"


@dataclass(frozen=True)
class SearchHit:
    document: SearchDocument
    title_html: SafeString
    snippet_html: SafeString

    @property
    def url(self) -> str:
        return post_url(self.document.post_id)


@dataclass(frozen=True)
class SearchResults:
    page: Page[SearchHit]
    total: int
    is_ranked: bool
    is_total_capped: bool = False


class _Count:
    """Stands in for a queryset so the shared Paginator pages over an already-counted total."""

    def __init__(self, total: int) -> None:
        self.total = total

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total


def _hits(documents: Sequence[SearchDocument], parsed: ParsedQuery) -> list[SearchHit]:
    pattern = _highlight_pattern(parsed)
    return [
        SearchHit(
            document=document,
            title_html=_mark(document.title, pattern),
            snippet_html=_snippet(document.body_text, pattern),
        )
        for document in documents
    ]


def visible_documents(viewer: Viewer) -> QuerySet[SearchDocument]:
    """Documents of the posts this viewer may read, by the live visibility rule."""
    return SearchDocument.objects.filter(post_id__in=posts_visible_to(viewer).values("pk"))


def _ranked_page(
    matching: QuerySet[SearchDocument], parsed: ParsedQuery, *, offset: int, limit: int
) -> list[SearchDocument]:
    """The newest RANK_CANDIDATES matches, ordered by relevance, recency breaking ties."""
    candidates = matching.order_by(*_RECENT).values("post_id")[:RANK_CANDIDATES]
    return list(
        SearchDocument.objects.filter(post_id__in=candidates)
        .annotate(rank=_rank(parsed, require_all=True))
        .select_related("space", "author")
        .order_by("-rank", *_RECENT)[offset : offset + limit]
    )


def search_posts(
    viewer: Viewer,
    query: str,
    *,
    space: int | None = None,
    post_type: str | None = None,
    tag: str | None = None,
    solved: bool | None = None,
    author: int | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
) -> SearchResults:
    """Posts the viewer may read that contain every word of the query, best first, one page."""
    parsed = parse_query(query)
    if parsed.is_empty:
        return SearchResults(page=Paginator([], per_page).get_page(1), total=0, is_ranked=False)
    matching = visible_documents(viewer).filter(_match(parsed, require_all=True))
    if space is not None:
        matching = matching.filter(space_id=space)
    if post_type:
        matching = matching.filter(post_type=post_type)
    if tag:
        matching = matching.filter(post__tags__slug=tag)
    if solved is not None:
        matching = matching.filter(is_solved=solved)
    if author is not None:
        matching = matching.filter(author_id=author)
    if date_from is not None:
        matching = matching.filter(created_at__date__gte=date_from)
    if date_to is not None:
        matching = matching.filter(created_at__date__lte=date_to)
    total = matching.values("pk")[: COUNT_LIMIT + 1].count()
    is_total_capped = total > COUNT_LIMIT
    total = min(total, COUNT_LIMIT)
    paginator: Paginator[SearchHit] = Paginator(_Count(total), per_page)  # type: ignore[arg-type]
    try:
        number = paginator.validate_number(page)
    except PageNotAnInteger:
        number = 1
    except EmptyPage:
        number = paginator.num_pages
    offset = (number - 1) * per_page
    is_ranked = offset < RANK_CANDIDATES
    if total == 0:
        documents: list[SearchDocument] = []
    elif is_ranked:
        documents = _ranked_page(matching, parsed, offset=offset, limit=per_page)
    else:
        documents = list(
            matching.select_related("space", "author").order_by(*_RECENT)[
                offset : offset + per_page
            ]
        )
    return SearchResults(
        page=Page(_hits(documents, parsed), number, paginator),
        total=total,
        is_ranked=is_ranked,
        is_total_capped=is_total_capped,
    )


def similar_questions(
    viewer: Viewer, title: str, *, space: int | None = None, limit: int = SIMILAR_LIMIT
) -> list[SearchHit]:
    """Questions the viewer may read that share words with a title being written."""
    if len(normalize(title).strip()) < 2:
        return []
    parsed = parse_query(title)
    if parsed.is_empty:
        return []
    matching = visible_documents(viewer).filter(
        _match(parsed, require_all=False), post_type=PostType.QUESTION
    )
    if space is not None:
        matching = matching.filter(space_id=space)
    candidates = matching.order_by(*_RECENT).values("post_id")[:RANK_CANDIDATES]
    documents = list(
        SearchDocument.objects.filter(post_id__in=candidates)
        .annotate(rank=_rank(parsed, require_all=False))
        .select_related("space")
        .order_by("-rank", *_RECENT)[:limit]
    )
    return _hits(documents, parsed)
