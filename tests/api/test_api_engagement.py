"""Reactions, bookmarks and follows through the API: idempotent, authorized, counted once."""

from typing import Any

import pytest

from kizuna.content.models import Bookmark, Follow, Reaction
from kizuna.content.tests.factories import AnswerFactory, TagFactory
from kizuna.identity.models import ApiKey
from tests.api.conftest import error_of
from tests.api.forum_fixtures import Forum, count_queries, delete, make_post

pytestmark = pytest.mark.django_db


def test_member_likes_a_post_once_however_often_they_click(forum: Forum) -> None:
    api = forum.client("member")
    path = f"/api/posts/{forum.public_post.pk}/reaction"

    first = api.post(path)
    second = api.post(path)

    assert first.json() == {"has_reacted": True, "reaction_count": 1}
    assert second.json() == {"has_reacted": True, "reaction_count": 1}
    assert Reaction.objects.count() == 1


def test_member_takes_a_like_back(forum: Forum) -> None:
    api = forum.client("member")
    path = f"/api/posts/{forum.public_post.pk}/reaction"
    api.post(path)

    response = delete(api, path)

    assert response.json() == {"has_reacted": False, "reaction_count": 0}
    assert not Reaction.objects.exists()


def test_author_cannot_like_their_own_post(forum: Forum) -> None:
    response = forum.client("author").post(f"/api/posts/{forum.public_post.pk}/reaction")

    assert response.status_code == 422
    assert not Reaction.objects.exists()


def test_member_likes_an_answer(forum: Forum) -> None:
    answer = AnswerFactory(post=forum.public_post)

    response = forum.client("member").post(f"/api/answers/{answer.pk}/reaction")

    assert response.json() == {"has_reacted": True, "reaction_count": 1}
    assert Reaction.objects.get().answer == answer


@pytest.mark.parametrize("who", ["outsider", "non_customer"])
def test_non_member_cannot_react_to_a_members_only_post(forum: Forum, who: str) -> None:
    response = forum.client(who).post(f"/api/posts/{forum.secret_post.pk}/reaction")

    assert response.status_code == 404
    assert not Reaction.objects.exists()


def test_held_post_cannot_be_liked_even_by_a_moderator(forum: Forum) -> None:
    response = forum.client("moderator").post(f"/api/posts/{forum.held_post.pk}/reaction")

    assert response.status_code == 422
    assert not Reaction.objects.exists()


def test_bookmark_and_list_bookmarks(forum: Forum) -> None:
    api = forum.client("member")

    added = api.post(f"/api/posts/{forum.public_post.pk}/bookmark")
    again = api.post(f"/api/posts/{forum.public_post.pk}/bookmark")
    listed = api.get("/api/bookmarks").json()

    assert added.json() == {"has_bookmarked": True}
    assert again.status_code == 200
    assert listed["count"] == 1
    assert listed["items"][0]["post"]["id"] == forum.public_post.pk


def test_unbookmark(forum: Forum) -> None:
    api = forum.client("member")
    api.post(f"/api/posts/{forum.public_post.pk}/bookmark")

    response = delete(api, f"/api/posts/{forum.public_post.pk}/bookmark")

    assert response.json() == {"has_bookmarked": False}
    assert not Bookmark.objects.exists()


def test_bookmarks_of_a_space_one_left_are_not_listed(forum: Forum) -> None:
    Bookmark.objects.create(member=forum.outsider, post=forum.secret_post)

    listed = forum.client("outsider").get("/api/bookmarks").json()

    assert listed == {"count": 0, "limit": 25, "offset": 0, "has_more": False, "items": []}


def test_bookmark_list_query_count_does_not_grow(
    forum: Forum, django_assert_num_queries: Any
) -> None:
    api = forum.client("member")
    api.post(f"/api/posts/{forum.public_post.pk}/bookmark")
    api.get("/api/bookmarks")
    baseline = count_queries(lambda: api.get("/api/bookmarks"))
    for _ in range(5):
        post = make_post(forum.open_space, forum.author, tags=[TagFactory()])
        Bookmark.objects.create(member=forum.member, post=post)

    with django_assert_num_queries(baseline):
        response = api.get("/api/bookmarks")

    assert response.json()["count"] == 6


def test_follow_and_unfollow_a_post_a_space_and_a_tag(forum: Forum) -> None:
    tag = TagFactory(slug="invoice")
    forum.public_post.tags.add(tag)
    api = forum.client("member")

    assert api.post(f"/api/posts/{forum.public_post.pk}/follow").json() == {"is_following": True}
    assert api.post("/api/spaces/open-forum/follow").json() == {"is_following": True}
    assert api.post("/api/tags/invoice/follow").json() == {"is_following": True}
    assert Follow.objects.filter(member=forum.member).count() == 3

    delete(api, f"/api/posts/{forum.public_post.pk}/follow")
    delete(api, "/api/spaces/open-forum/follow")
    delete(api, "/api/tags/invoice/follow")
    assert not Follow.objects.filter(member=forum.member).exists()
    assert tag.pk


def test_non_member_cannot_follow_a_members_only_space(forum: Forum) -> None:
    response = forum.client("outsider").post("/api/spaces/closed-forum/follow")

    assert response.status_code == 403
    assert not Follow.objects.exists()


def test_unknown_tag_is_404(forum: Forum) -> None:
    response = forum.client("member").post("/api/tags/nothing-here/follow")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_read_only_key_cannot_react(forum: Forum, key_client: Any, staff: Any) -> None:
    api = key_client(staff, [ApiKey.Scope.CONTENT_READ])

    response = api.post(f"/api/posts/{forum.public_post.pk}/reaction")

    assert response.status_code == 403
    assert error_of(response)["code"] == "missing_scope"
    assert not Reaction.objects.exists()
