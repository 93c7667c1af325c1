"""Search through the API: Japanese and English, filters, and no private content in results or counts."""

from typing import Any

import pytest

from kizuna.content.models import ContentStatus
from kizuna.identity.models import ApiKey
from tests.api.conftest import error_of
from tests.api.forum_fixtures import SECRET_TITLE, Forum, count_queries, make_post

pytestmark = pytest.mark.django_db


def _ids(response: Any) -> set[int]:
    return {item["post_id"] for item in response.json()["items"]}


def test_japanese_query_finds_the_post_with_the_conjugated_phrase(forum: Forum) -> None:
    response = forum.client("member").get("/api/search", q="請求書 発行")

    assert response.status_code == 200
    assert forum.public_post.pk in _ids(response)
    hit = next(i for i in response.json()["items"] if i["post_id"] == forum.public_post.pk)
    assert "<mark>請求書</mark>" in hit["title_html"]
    assert hit["space"] == "open-forum"


def test_english_stemming_matches(forum: Forum) -> None:
    response = forum.client("member").get("/api/search", q="invoices")

    assert forum.public_post.pk in _ids(response)


@pytest.mark.parametrize("who", ["outsider", "non_customer"])
def test_private_posts_never_appear_in_results_or_counts(forum: Forum, who: str) -> None:
    response = forum.client(who).get("/api/search", q="請求書")

    assert _ids(response) == {forum.public_post.pk}
    assert response.json()["count"] == 1
    assert SECRET_TITLE not in response.content.decode()


def test_held_posts_are_found_only_by_their_author(forum: Forum) -> None:
    member = forum.client("member").get("/api/search", q="保留中")
    author = forum.client("author").get("/api/search", q="保留中")

    assert member.json()["count"] == 0
    assert _ids(author) == {forum.held_post.pk}


def test_member_of_both_spaces_finds_both(forum: Forum) -> None:
    response = forum.client("member").get("/api/search", q="請求書")

    assert _ids(response) == {forum.public_post.pk, forum.secret_post.pk}
    assert response.json()["count"] == 2


def test_search_filters_by_space_and_type(forum: Forum) -> None:
    api = forum.client("member")
    make_post(forum.open_space, forum.author, title="請求書の議論", post_type="discussion")

    in_space = api.get("/api/search", q="請求書", space="closed-forum")
    by_type = api.get("/api/search", q="請求書", post_type="discussion")

    assert _ids(in_space) == {forum.secret_post.pk}
    assert by_type.json()["count"] == 1


def test_unknown_space_filter_gets_422(forum: Forum) -> None:
    response = forum.client("member").get("/api/search", q="請求書", space="nowhere")

    assert response.status_code == 422
    assert "space" in error_of(response)["fields"]


def test_missing_query_gets_422(forum: Forum) -> None:
    response = forum.client("member").get("/api/search")

    assert response.status_code == 422
    assert "q" in error_of(response)["fields"]


def test_pages_with_limit_and_offset(forum: Forum) -> None:
    api = forum.client("member")
    for number in range(3):
        make_post(forum.open_space, forum.author, title=f"請求書 {number}")

    first = api.get("/api/search", q="請求書", limit=2, offset=0).json()
    second = api.get("/api/search", q="請求書", limit=2, offset=2).json()
    beyond = api.get("/api/search", q="請求書", limit=2, offset=10).json()

    assert first["count"] == second["count"] == 5
    assert len(first["items"]) == 2
    assert len(second["items"]) == 2
    assert not {i["post_id"] for i in first["items"]} & {i["post_id"] for i in second["items"]}
    assert beyond["items"] == []


def test_search_query_count_does_not_grow(forum: Forum, django_assert_num_queries: Any) -> None:
    api = forum.client("member")
    api.get("/api/search", q="請求書")
    baseline = count_queries(lambda: api.get("/api/search", q="請求書"))
    for number in range(5):
        make_post(forum.open_space, forum.author, title=f"請求書 追加 {number}")

    with django_assert_num_queries(baseline):
        response = api.get("/api/search", q="請求書")

    assert response.json()["count"] == 7


def test_key_needs_content_read(forum: Forum, key_client: Any, staff: Any) -> None:
    api = key_client(staff, [ApiKey.Scope.SPACES_READ])

    response = api.get("/api/search", q="請求書")

    assert response.status_code == 403
    assert error_of(response)["code"] == "missing_scope"


def test_deleted_posts_are_not_found(forum: Forum) -> None:
    post = make_post(forum.open_space, forum.author, title="削除された請求書")
    post.status = ContentStatus.DELETED
    post.save(update_fields=["status"])

    response = forum.client("moderator").get("/api/search", q="削除された")

    assert response.json()["count"] == 0
