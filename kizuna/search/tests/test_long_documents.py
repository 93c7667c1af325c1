"""Bodies at the length limit are written, answered and found by their last word."""

import json
import random
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kizuna.content.models import Answer, Post
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.content.validation import BODY_MAX_LENGTH
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory
from kizuna.search.indexing import index_post
from kizuna.search.models import PendingIndex
from kizuna.search.selectors import search_posts
from kizuna.spaces.tests.factories import SpaceFactory

# Real commits: indexing runs in `on_commit` inside the request, as it does when serving.
pytestmark = pytest.mark.django_db(transaction=True)

FILLER = (
    "請求書の発行手順を確認しました。設定画面から出力形式を選べます。"
    "担当者に連絡して承認を依頼してください。"
)
LAST_WORD = "図書館"  # none of its bigrams occurs in FILLER


def long_body() -> str:
    """A Japanese body of the maximum length (150,000 bytes, three times what Sudachi reads at
    once, and 50,000 bigrams, three times PostgreSQL's positions) ending in a word found
    nowhere else."""
    ending = f"最後に{LAST_WORD}"
    filler = FILLER * (BODY_MAX_LENGTH // len(FILLER) + 1)
    return filler[: BODY_MAX_LENGTH - len(ending)] + ending


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def _found(viewer: Member, word: str = LAST_WORD) -> list[int]:
    return [hit.document.post_id for hit in search_posts(viewer, word).page]


def _json(client: Client, method: str, path: str, body: dict[str, Any]) -> Any:
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_post_form_with_a_body_at_the_limit_is_published_and_found_by_its_last_word(
    client: Client,
) -> None:
    member = MemberFactory()
    client.force_login(member)
    response = client.post(
        reverse("content:post-create", args=[SpaceFactory().slug]),
        {"post_type": "question", "title": "長い質問", "body": long_body(), "tags": ""},
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert _found(member) == [post.pk]
    assert not PendingIndex.objects.exists()


def test_api_post_with_a_body_at_the_limit_is_created_and_found_by_its_last_word(
    client: Client,
) -> None:
    member = MemberFactory()
    client.force_login(member)
    space = SpaceFactory()
    response = _json(
        client,
        "post",
        f"/api/spaces/{space.slug}/posts",
        {"title": "長い質問", "body": long_body()},
    )
    assert response.status_code == 201
    assert _found(member) == [response.json()["id"]]


def test_api_edit_to_a_body_at_the_limit_replaces_the_search_text(client: Client) -> None:
    post = PostFactory(title="短い質問", body="旧本文の蒼穹")
    client.force_login(post.author)
    response = _json(client, "patch", f"/api/posts/{post.pk}", {"body": long_body()})
    assert response.status_code == 200
    assert _found(post.author) == [post.pk]
    assert _found(post.author, "蒼穹") == []


def test_answer_at_the_limit_is_saved_and_its_thread_found_by_its_last_word(
    client: Client,
) -> None:
    post = PostFactory(title="短い質問", body="手順を教えてください")
    member = MemberFactory()
    client.force_login(member)
    response = client.post(reverse("content:answer-create", args=[post.pk]), {"body": long_body()})
    assert response.status_code == 302
    assert Answer.objects.get().post_id == post.pk
    assert _found(member) == [post.pk]


@pytest.mark.django_db
def test_thread_of_random_ideographs_too_many_for_one_tsvector_is_still_indexed() -> None:
    # 100,000 distinct bigrams would make a tsvector over PostgreSQL's 1 MB: the answers'
    # terms past the budget are left out, the title and body's stay.
    chars = random.Random(8)
    noise = "".join(chr(chars.randint(0x4E00, 0x9FFF)) for _ in range(BODY_MAX_LENGTH - 3))
    post = PostFactory(title="乱数の投稿", body=noise + LAST_WORD)
    AnswerFactory(post=post, body=noise[::-1])
    index_post(post.pk)
    assert _found(post.author, "乱数") == [post.pk]
    assert _found(post.author) == [post.pk]
