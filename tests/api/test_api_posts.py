"""Posts endpoints: who reads which posts, creating and editing, bad input, scopes, queries."""

from typing import Any

import pytest
from django.test import Client

from kizuna.content.models import ContentStatus, Post, Revision
from kizuna.content.tests.factories import TagFactory
from kizuna.content.validation import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, TITLE_MAX_LENGTH
from kizuna.identity.models import ApiKey
from tests.api.conftest import error_of
from tests.api.forum_fixtures import SECRET_TITLE, Forum, count_queries, make_post

pytestmark = pytest.mark.django_db


def _ids(response: Any) -> set[int]:
    return {item["id"] for item in response.json()["items"]}


def test_member_lists_published_posts_of_a_space_without_held_ones(forum: Forum) -> None:
    response = forum.client("member").get("/api/spaces/open-forum/posts")

    assert response.status_code == 200
    assert _ids(response) == {forum.public_post.pk}
    assert response.json()["count"] == 1


@pytest.mark.parametrize("who", ["author", "moderator", "staff"])
def test_author_and_moderators_see_the_held_post_in_the_list(forum: Forum, who: str) -> None:
    response = forum.client(who).get("/api/spaces/open-forum/posts")

    assert _ids(response) == {forum.public_post.pk, forum.held_post.pk}
    assert response.json()["count"] == 2


@pytest.mark.parametrize("who", ["outsider", "non_customer"])
def test_non_member_cannot_list_a_members_only_space(forum: Forum, who: str) -> None:
    response = forum.client(who).get("/api/spaces/closed-forum/posts")

    assert response.status_code == 403
    assert error_of(response)["code"] == "application_required"
    assert SECRET_TITLE not in response.content.decode()


@pytest.mark.parametrize("who", ["outsider", "non_customer"])
def test_non_member_gets_404_for_a_post_of_a_members_only_space(forum: Forum, who: str) -> None:
    response = forum.client(who).get(f"/api/posts/{forum.secret_post.pk}")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_held_post_is_404_for_anyone_but_its_author_and_moderators(forum: Forum, who: str) -> None:
    assert forum.client(who).get(f"/api/posts/{forum.held_post.pk}").status_code == 404


def test_author_sees_why_the_post_is_held(forum: Forum) -> None:
    body = forum.client("author").get(f"/api/posts/{forum.held_post.pk}").json()

    assert body["status"] == "held"
    assert body["held_reasons"] == ["held because: campaign"]


def test_anonymous_caller_is_refused(forum: Forum) -> None:
    response = forum.client("anonymous").get(f"/api/posts/{forum.public_post.pk}")

    assert response.status_code == 401


def test_member_creates_a_post_with_tags(forum: Forum) -> None:
    response = forum.client("member").post(
        "/api/spaces/open-forum/posts",
        {"title": "CSV の書き出し", "body": "書き出し方は？", "tags": ["csv", "export"]},
    )

    assert response.status_code == 201
    body = response.json()
    assert body["title"] == "CSV の書き出し"
    assert body["status"] == "published"
    assert [tag["slug"] for tag in body["tags"]] == ["csv", "export"]
    assert Post.objects.get(pk=body["id"]).author == forum.member


def test_same_submission_token_creates_one_post(forum: Forum) -> None:
    payload = {"title": "二重送信", "body": "本文", "submission_token": "abc-123"}
    first = forum.client("member").post("/api/spaces/open-forum/posts", payload)
    second = forum.client("member").post("/api/spaces/open-forum/posts", payload)

    assert first.json()["id"] == second.json()["id"]
    assert Post.objects.filter(title="二重送信").count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"title": "   ", "body": "本文"}, "title"),
        ({"title": "題名", "body": ""}, "body"),
        ({"title": "題名", "body": "x" * 50001}, "body"),
        ({"title": "題名"}, "body"),
        ({"title": "題名", "body": "本文", "post_type": "idea"}, "post_type"),
        ({"title": "題名\x00", "body": "本文"}, "title"),
    ],
)
def test_bad_post_gets_422_and_writes_nothing(
    forum: Forum, payload: dict[str, Any], field: str
) -> None:
    before = Post.objects.count()
    response = forum.client("member").post("/api/spaces/open-forum/posts", payload)

    assert response.status_code == 422
    assert field in error_of(response)["fields"]
    assert Post.objects.count() == before


def test_title_one_over_the_services_limit_is_refused_by_the_schema(forum: Forum) -> None:
    before = Post.objects.count()
    response = forum.client("member").post(
        "/api/spaces/open-forum/posts", {"title": "題" * (TITLE_MAX_LENGTH + 1), "body": "本文"}
    )

    assert TITLE_MAX_LENGTH == 200
    assert response.status_code == 422
    # The schema's message, not the service's "The title is too long (…)".
    assert error_of(response)["fields"] == {"title": ["Use at most 200 characters."]}
    assert Post.objects.count() == before


def test_openapi_document_advertises_the_services_limits() -> None:
    schemas = Client().get("/api/openapi.json").json()["components"]["schemas"]

    assert schemas["PostIn"]["properties"]["title"]["maxLength"] == TITLE_MAX_LENGTH
    assert schemas["PostIn"]["properties"]["body"]["maxLength"] == BODY_MAX_LENGTH
    assert schemas["CommentIn"]["properties"]["body"]["maxLength"] == COMMENT_MAX_LENGTH
    assert schemas["EditIn"]["properties"]["title"]["maxLength"] == TITLE_MAX_LENGTH


def test_unreadable_body_gets_400(forum: Forum) -> None:
    api = forum.client("member")
    response = api.client.post(
        "/api/spaces/open-forum/posts", "{not json", content_type="application/json", **api.headers
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "bad_request"


def test_member_cannot_post_an_announcement(forum: Forum) -> None:
    response = forum.client("member").post(
        "/api/spaces/open-forum/posts",
        {"title": "お知らせ", "body": "本文", "post_type": "announcement"},
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "announcement"
    assert not Post.objects.filter(title="お知らせ").exists()


def test_outsider_cannot_post_in_a_members_only_space(forum: Forum) -> None:
    response = forum.client("outsider").post(
        "/api/spaces/closed-forum/posts", {"title": "題名", "body": "本文"}
    )

    assert response.status_code == 403
    assert not Post.objects.filter(title="題名").exists()


def test_author_edits_a_post_and_the_previous_text_is_kept(forum: Forum) -> None:
    response = forum.client("author").patch(
        f"/api/posts/{forum.public_post.pk}", {"body": "新しい本文", "reason": "typo"}
    )

    assert response.status_code == 200
    assert response.json()["body"] == "新しい本文"
    assert response.json()["edited_at"] is not None
    assert Revision.objects.get(post=forum.public_post).body == forum.public_post.body


def test_stale_edit_is_refused_and_changes_nothing(forum: Forum) -> None:
    api = forum.client("author")
    api.patch(f"/api/posts/{forum.public_post.pk}", {"body": "一回目"})

    response = api.patch(
        f"/api/posts/{forum.public_post.pk}",
        {"body": "古い画面から", "expected_edited_at": "2020-01-01T00:00:00Z"},
    )

    assert response.status_code == 422
    forum.public_post.refresh_from_db()
    assert forum.public_post.body == "一回目"


def test_member_cannot_edit_someone_elses_post(forum: Forum) -> None:
    response = forum.client("member").patch(f"/api/posts/{forum.public_post.pk}", {"body": "改竄"})

    assert response.status_code == 403
    assert error_of(response)["code"] == "edit_post"
    forum.public_post.refresh_from_db()
    assert forum.public_post.body != "改竄"


def test_key_without_content_scope_is_refused(forum: Forum, key_client: Any, staff: Any) -> None:
    api = key_client(staff, [ApiKey.Scope.CONTENT_READ])

    read = api.get(f"/api/posts/{forum.public_post.pk}")
    write = api.post("/api/spaces/open-forum/posts", {"title": "題名", "body": "本文"})

    assert read.status_code == 200
    assert write.status_code == 403
    assert error_of(write)["code"] == "missing_scope"
    assert not Post.objects.filter(title="題名").exists()


def test_staff_key_reads_held_posts_as_its_creator(forum: Forum) -> None:
    response = forum.client("staff").get(f"/api/posts/{forum.held_post.pk}")

    assert response.status_code == 200
    assert response.json()["status"] == ContentStatus.HELD


def test_post_list_filters_by_type_tag_and_solved(forum: Forum) -> None:
    api = forum.client("member")
    created = api.post(
        "/api/spaces/open-forum/posts",
        {"title": "議論", "body": "本文", "post_type": "discussion", "tags": ["talk"]},
    ).json()

    assert _ids(api.get("/api/spaces/open-forum/posts", post_type="discussion")) == {created["id"]}
    assert _ids(api.get("/api/spaces/open-forum/posts", tag="talk")) == {created["id"]}
    assert _ids(api.get("/api/spaces/open-forum/posts", solved="no")) == {forum.public_post.pk}
    assert api.get("/api/spaces/open-forum/posts", sort="oldest").status_code == 422


def test_post_list_query_count_does_not_grow_with_posts(
    forum: Forum, django_assert_num_queries: Any
) -> None:
    api = forum.client("member")
    api.get("/api/spaces/open-forum/posts")  # warm the session
    baseline = count_queries(lambda: api.get("/api/spaces/open-forum/posts"))
    for number in range(6):
        make_post(forum.open_space, forum.author, title=f"追加 {number}", tags=[TagFactory()])

    with django_assert_num_queries(baseline):
        response = api.get("/api/spaces/open-forum/posts")

    assert response.json()["count"] == 7
