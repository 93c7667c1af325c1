"""Writing a post into the search index (ADR 0006); `tasks.index_post` calls this.

Idempotent: a document is rebuilt from the post as it is now, so running it twice, late or
out of order leaves the same index. A deleted (or vanished) post leaves the index.
Every write marks its post (`mark_stale`, in the write's own transaction); indexing clears
the mark, and the sweep (`index_pending`) rebuilds what a lost or failed task left marked.
"""

import html
import logging
from collections import defaultdict
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.html import strip_tags

from kizuna.content.models import Answer, ContentStatus, Post
from kizuna.search.models import PendingIndex, SearchDocument
from kizuna.search.tokenize import TextTerms, analyze

MAX_POSITION = 16383  # PostgreSQL keeps positions up to this
MAX_POSITIONS_PER_LEXEME = 255
MAX_ANSWERS_CHARS = 100_000
# PostgreSQL refuses a tsvector over 1,048,575 bytes; a thread of varied enough text (a long
# body and answers of unrelated ideographs) has more distinct bigrams than that holds.
TSVECTOR_BUDGET = 1_000_000
# Bytes a lexeme takes in a tsvector besides its text: entry (4), alignment (1), count (2).
_LEXEME_OVERHEAD = 7
_POSITION_BYTES = 2
# A mark younger than this may still have its task queued or running: the sweep leaves it.
SWEEP_AFTER = timedelta(minutes=5)
SWEEP_BATCH = 500
LAST_ERROR_CHARS = 2000

logger = logging.getLogger(__name__)


def plain_text(markdown: str, rendered_html: str) -> str:
    """The text a reader sees: the sanitised HTML without tags, or the Markdown source."""
    if rendered_html:
        return " ".join(html.unescape(strip_tags(rendered_html)).split())
    return " ".join(markdown.split())


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_literal(fields: list[tuple[TextTerms, str]], budget: int = TSVECTOR_BUDGET) -> str:
    """A `simple` tsvector of bigrams (consecutive positions, so phrases work) and morphemes,
    of at most `budget` bytes: terms past it are left out, so the answers' go first.

    PostgreSQL has positions 1…16383 only, fewer than a long body has bigrams. Past the last
    one, positions start again at 1 instead of all piling onto 16383 (where no phrase could
    match, so nothing written after about the first 16,000 characters would be found); a run
    that would cross the end starts afresh at 1 whole. Reusing positions can match a phrase
    whose bigrams sit in different parts of a very long document, a rare extra hit, never a
    missed one.
    """
    positions: dict[str, list[str]] = defaultdict(list)
    position = 1
    size = 0

    def add(lexeme: str, weight: str) -> None:
        nonlocal position, size
        entries = positions.get(lexeme)
        cost = _POSITION_BYTES + (0 if entries else len(lexeme.encode()) + _LEXEME_OVERHEAD)
        if size + cost <= budget and (entries is None or len(entries) < MAX_POSITIONS_PER_LEXEME):
            positions[lexeme].append(f"{position}{weight}")
            size += cost
        position = position % MAX_POSITION + 1

    for terms, weight in fields:
        for run in terms.grams:
            if position + len(run) > MAX_POSITION:
                position = 1
            for gram in run:
                add(gram, weight)
            position = position % MAX_POSITION + 1  # runs are not adjacent: no phrase spans two
        for morpheme in terms.morphemes:
            add(morpheme, weight)
        position = position % MAX_POSITION + 1
    return " ".join(f"{_quote_lexeme(lexeme)}:{','.join(at)}" for lexeme, at in positions.items())


def _english_bytes(words: list[str]) -> int:
    """An upper bound of the size of `to_tsvector('english', …)` of these words (a word with
    an apostrophe may become two lexemes; stemming only shortens)."""
    distinct = set(words)
    return sum(
        (len(word.encode()) + _LEXEME_OVERHEAD) * (2 if "'" in word or "’" in word else 1)
        for word in distinct
    ) + _POSITION_BYTES * 2 * len(words)


def _write_postgres(post_id: int, title: TextTerms, body: TextTerms, answers: TextTerms) -> None:
    english = _english_bytes([*title.latin, *body.latin, *answers.latin])
    literal = tsvector_literal(
        [(title, "A"), (body, "B"), (answers, "C")], budget=max(0, TSVECTOR_BUDGET - english)
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE search_searchdocument SET search_vector = %s::tsvector"
            " || setweight(to_tsvector('english', %s), 'A')"
            " || setweight(to_tsvector('english', %s), 'B')"
            " || setweight(to_tsvector('english', %s), 'C')"
            " WHERE post_id = %s",
            [
                literal,
                " ".join(title.latin),
                " ".join(body.latin),
                " ".join(answers.latin),
                post_id,
            ],
        )


def _fts_text(terms: TextTerms) -> str:
    return " ".join([terms.gram_text(), *terms.latin])


def _write_sqlite(post_id: int, title: TextTerms, body: TextTerms, answers: TextTerms) -> None:
    morphemes = " ".join([*title.morphemes, *body.morphemes, *answers.morphemes])
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [post_id])
        cursor.execute(
            "INSERT INTO search_fts (rowid, title, body, answers, morphemes)"
            " VALUES (%s, %s, %s, %s, %s)",
            [post_id, _fts_text(title), _fts_text(body), _fts_text(answers), morphemes],
        )


def _delete(post_id: int) -> None:
    SearchDocument.objects.filter(post_id=post_id).delete()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [post_id])


def mark_stale(post_id: int) -> None:
    """Note, in the caller's transaction, that the post's document must be rebuilt."""
    # Insert-or-skip, then bump: two writers marking the same post at once cannot collide.
    PendingIndex.objects.bulk_create(
        [PendingIndex(post_id=post_id, generation=0, queued_at=timezone.now())],
        ignore_conflicts=True,
    )
    PendingIndex.objects.filter(post_id=post_id).update(
        generation=F("generation") + 1, queued_at=timezone.now()
    )


def index_post(post_id: int) -> None:
    """Bring the post's search document in line with the post, its status and its answers,
    and clear its mark unless a write marked it again meanwhile."""
    with transaction.atomic():
        post = Post.objects.select_for_update().filter(pk=post_id).first()
        # Read before the answers: a write committing after this has bumped the generation,
        # so its mark stays for its own task or the sweep.
        generation = (
            PendingIndex.objects.filter(post_id=post_id)
            .values_list("generation", flat=True)
            .first()
        )
        if post is None or post.status == ContentStatus.DELETED:
            _delete(post_id)
        else:
            _rebuild(post)
        if generation is not None:
            PendingIndex.objects.filter(post_id=post_id, generation=generation).delete()


def _rebuild(post: Post) -> None:
    answer_texts: list[str] = []
    size = 0
    for body, body_html in Answer.objects.filter(
        post_id=post.pk, status=ContentStatus.PUBLISHED
    ).values_list("body", "body_html"):
        text = plain_text(body, body_html)
        size += len(text)
        if size > MAX_ANSWERS_CHARS:
            break
        answer_texts.append(text)
    body_text = plain_text(post.body, post.body_html)
    SearchDocument.objects.update_or_create(
        post_id=post.pk,
        defaults={
            "space_id": post.space_id,
            "author_id": post.author_id,
            "post_type": post.post_type,
            "status": post.status,
            "is_solved": post.accepted_answer_id is not None,
            "created_at": post.created_at,
            "last_activity_at": post.last_activity_at,
            "title": post.title,
            "body_text": body_text,
        },
    )
    title_terms = analyze(post.title)
    body_terms = analyze(body_text)
    answer_terms = analyze("\n".join(answer_texts))
    if connection.vendor == "postgresql":
        _write_postgres(post.pk, title_terms, body_terms, answer_terms)
    elif connection.vendor == "sqlite":
        _write_sqlite(post.pk, title_terms, body_terms, answer_terms)


def try_index_post(post_id: int) -> bool:
    """Index the post; if that fails, log it and leave the post marked with the error for the
    sweep, rather than fail the write that asked (it has committed already)."""
    try:
        index_post(post_id)
    except Exception as error:
        logger.exception("Indexing post %s failed; the search sweep will retry it", post_id)
        PendingIndex.objects.bulk_create(
            [PendingIndex(post_id=post_id, queued_at=timezone.now())], ignore_conflicts=True
        )
        PendingIndex.objects.filter(post_id=post_id).update(
            failures=F("failures") + 1,
            last_error=f"{type(error).__name__}: {error}"[:LAST_ERROR_CHARS],
        )
        return False
    return True


def index_pending(
    *, older_than: timedelta = SWEEP_AFTER, limit: int | None = SWEEP_BATCH
) -> tuple[int, int]:
    """Rebuild the documents of posts still marked after `older_than`, those that failed least
    often first; returns how many were indexed and how many failed again."""
    marked = PendingIndex.objects.filter(queued_at__lte=timezone.now() - older_than).order_by(
        "failures", "queued_at"
    )
    post_ids = list(marked.values_list("post_id", flat=True)[:limit])
    indexed = sum(try_index_post(post_id) for post_id in post_ids)
    return indexed, len(post_ids) - indexed


def reindex_all() -> int:
    """Rebuild every document and drop those of deleted posts; returns the posts indexed."""
    for post_id in SearchDocument.objects.filter(post__status=ContentStatus.DELETED).values_list(
        "post_id", flat=True
    ):
        _delete(post_id)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_fts WHERE rowid NOT IN (SELECT post_id FROM search_searchdocument)"
            )
    post_ids = Post.objects.exclude(status=ContentStatus.DELETED).order_by("pk")
    indexed = 0
    for post_id in post_ids.values_list("pk", flat=True).iterator(chunk_size=1000):
        index_post(post_id)
        indexed += 1
    return indexed
