"""A post whose indexing fails is still written, answered and edited; the sweep indexes it."""

import json
import logging
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from sudachipy.errors import SudachiError  # type: ignore[import-untyped]

from kizuna.content.models import ContentStatus, Post
from kizuna.content.tests.factories import PostFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.search import indexing, tokenize
from kizuna.search.indexing import index_post, mark_stale
from kizuna.search.models import PendingIndex, SearchDocument
from kizuna.search.selectors import search_posts
from kizuna.search.tasks import index_pending_posts
from kizuna.spaces.tests.factories import SpaceFactory

# Real commits: indexing runs in `on_commit` inside the request, as it does when serving.
pytestmark = pytest.mark.django_db(transaction=True)

REFUSAL = "Input is too long, it can't be more than 49149 bytes"


class _RefusingTokenizer:
    def tokenize(self, text: str, mode: Any) -> Any:
        raise SudachiError(REFUSAL)


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def sudachi_refuses(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Sudachi refuses every text, as it refused long ones before they were read in chunks."""
    monkeypatch.setattr(tokenize, "_tokenizer", _RefusingTokenizer)
    return monkeypatch


def _found(viewer: Member, word: str) -> list[int]:
    return [hit.document.post_id for hit in search_posts(viewer, word).page]


def _sweep_later() -> int:
    PendingIndex.objects.update(queued_at=timezone.now() - timedelta(minutes=6))
    return index_pending_posts()  # type: ignore[no-any-return]


def test_post_whose_indexing_fails_is_published_marked_and_indexed_by_the_sweep(
    client: Client, sudachi_refuses: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    member = MemberFactory()
    client.force_login(member)
    with caplog.at_level(logging.ERROR, logger="kizuna.search.indexing"):
        response = client.post(
            reverse("content:post-create", args=[SpaceFactory().slug]),
            {"post_type": "question", "title": "請求書の質問", "body": "図書館の本", "tags": ""},
        )
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.status == ContentStatus.PUBLISHED
    assert not SearchDocument.objects.exists()
    assert list(PendingIndex.objects.values_list("post_id", "failures", "last_error")) == [
        (post.pk, 1, f"SudachiError: {REFUSAL}")
    ]
    assert [r.getMessage() for r in caplog.records if r.name == "kizuna.search.indexing"] == [
        f"Indexing post {post.pk} failed; the search sweep will retry it"
    ]

    sudachi_refuses.undo()
    assert _sweep_later() == 1
    assert _found(member, "図書館") == [post.pk]
    assert not PendingIndex.objects.exists()


def test_api_edit_whose_indexing_fails_succeeds_and_the_sweep_replaces_the_old_text(
    client: Client, sudachi_refuses: pytest.MonkeyPatch
) -> None:
    sudachi_refuses.undo()
    post = PostFactory(title="質問", body="旧本文の蒼穹")
    index_post(post.pk)
    sudachi_refuses.setattr(tokenize, "_tokenizer", _RefusingTokenizer)
    client.force_login(post.author)
    response = client.patch(
        f"/api/posts/{post.pk}", json.dumps({"body": "新本文の図書館"}), "application/json"
    )
    assert response.status_code == 200
    assert Post.objects.get().body == "新本文の図書館"
    assert PendingIndex.objects.get().failures == 1

    sudachi_refuses.undo()
    assert _sweep_later() == 1
    assert _found(post.author, "図書館") == [post.pk]
    assert _found(post.author, "蒼穹") == []


def test_answer_whose_indexing_fails_is_saved_and_the_sweep_indexes_it(
    client: Client, sudachi_refuses: pytest.MonkeyPatch
) -> None:
    post = PostFactory(title="質問", body="手順を教えてください")
    member = MemberFactory()
    client.force_login(member)
    response = client.post(reverse("content:answer-create", args=[post.pk]), {"body": "図書館で"})
    assert response.status_code == 302
    assert post.answers.count() == 1

    sudachi_refuses.undo()
    assert _sweep_later() == 1
    assert _found(member, "図書館") == [post.pk]


def test_sweep_leaves_fresh_marks_to_their_own_task() -> None:
    post = PostFactory(title="図書館の質問")
    mark_stale(post.pk)
    assert index_pending_posts() == 0
    assert PendingIndex.objects.get().post_id == post.pk


def test_a_write_marked_while_the_post_was_being_indexed_keeps_its_mark(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    post = PostFactory(title="図書館の質問")
    mark_stale(post.pk)
    rebuild = indexing._rebuild

    def rebuild_then_another_write(post: Post) -> None:
        rebuild(post)
        mark_stale(post.pk)

    monkeypatch.setattr(indexing, "_rebuild", rebuild_then_another_write)
    index_post(post.pk)
    assert list(PendingIndex.objects.values_list("post_id", "generation")) == [(post.pk, 2)]
    monkeypatch.undo()
    index_post(post.pk)
    assert not PendingIndex.objects.exists()


def test_reindex_command_with_pending_indexes_only_marked_posts_at_once() -> None:
    marked = PostFactory(title="図書館の質問")
    PostFactory(title="図書館の別件")
    mark_stale(marked.pk)
    output = StringIO()
    call_command("reindex_search", "--pending", stdout=output)
    assert list(SearchDocument.objects.values_list("post_id", flat=True)) == [marked.pk]
    assert not PendingIndex.objects.exists()
    assert output.getvalue().startswith("Indexed 1 posts (0 failed)")
