"""Answers, comments, accepting answers and the unanswered queue through the API."""

from typing import Any

import pytest

from kizuna.content.models import Answer, Comment, ContentStatus, Post
from kizuna.content.tests.factories import AnswerFactory, CommentFactory
from kizuna.identity.tests.factories import StaffFactory
from tests.api.conftest import error_of
from tests.api.forum_fixtures import Forum, count_queries, make_post

pytestmark = pytest.mark.django_db


def test_member_answers_a_question(forum: Forum) -> None:
    response = forum.client("member").post(
        f"/api/posts/{forum.public_post.pk}/answers", {"body": "設定画面から発行できます。"}
    )

    assert response.status_code == 201
    body = response.json()
    assert body["post_id"] == forum.public_post.pk
    assert body["author"]["id"] == forum.member.pk
    assert body["is_accepted"] is False
    forum.public_post.refresh_from_db()
    assert forum.public_post.answer_count == 1


def test_empty_answer_gets_422_and_writes_nothing(forum: Forum) -> None:
    response = forum.client("member").post(
        f"/api/posts/{forum.public_post.pk}/answers", {"body": "   "}
    )

    assert response.status_code == 422
    assert "body" in error_of(response)["fields"]
    assert not Answer.objects.exists()


def test_held_post_cannot_be_answered_by_its_author(forum: Forum) -> None:
    response = forum.client("author").post(
        f"/api/posts/{forum.held_post.pk}/answers", {"body": "自分で回答"}
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "answer"
    assert not Answer.objects.exists()


def test_non_member_cannot_answer_or_see_a_members_only_thread(forum: Forum) -> None:
    api = forum.client("outsider")

    assert api.post(f"/api/posts/{forum.secret_post.pk}/answers", {"body": "x"}).status_code == 404
    assert api.get(f"/api/posts/{forum.secret_post.pk}/answers").status_code == 404
    assert not Answer.objects.exists()


def test_answers_list_hides_held_answers_from_other_members(forum: Forum) -> None:
    visible = AnswerFactory(post=forum.public_post)
    held = AnswerFactory(post=forum.public_post, status=ContentStatus.HELD)

    member_ids = [
        item["id"]
        for item in forum.client("member")
        .get(f"/api/posts/{forum.public_post.pk}/answers")
        .json()["items"]
    ]
    moderator_ids = [
        item["id"]
        for item in forum.client("moderator")
        .get(f"/api/posts/{forum.public_post.pk}/answers")
        .json()["items"]
    ]

    assert member_ids == [visible.pk]
    assert moderator_ids == [visible.pk, held.pk]


def test_answers_list_query_count_does_not_grow(
    forum: Forum, django_assert_num_queries: Any
) -> None:
    api = forum.client("member")
    path = f"/api/posts/{forum.public_post.pk}/answers"
    answer = AnswerFactory(post=forum.public_post)
    CommentFactory(post=forum.public_post, answer=answer)
    api.get(path)
    baseline = count_queries(lambda: api.get(path))
    for _ in range(5):
        more = AnswerFactory(post=forum.public_post)
        CommentFactory(post=forum.public_post, answer=more)

    with django_assert_num_queries(baseline):
        response = api.get(path)

    assert response.json()["count"] == 6
    assert all(len(item["comments"]) == 1 for item in response.json()["items"])


def test_answer_author_edits_the_answer(forum: Forum) -> None:
    answer = AnswerFactory(post=forum.public_post, author=forum.member)

    response = forum.client("member").patch(f"/api/answers/{answer.pk}", {"body": "直しました"})

    assert response.status_code == 200
    assert response.json()["body"] == "直しました"


def test_other_member_cannot_edit_an_answer(forum: Forum) -> None:
    answer = AnswerFactory(post=forum.public_post, author=forum.author)

    response = forum.client("member").patch(f"/api/answers/{answer.pk}", {"body": "改竄"})

    assert response.status_code == 403
    answer.refresh_from_db()
    assert answer.body != "改竄"


def test_comment_on_an_answer_and_list_post_comments(forum: Forum) -> None:
    answer = AnswerFactory(post=forum.public_post)
    api = forum.client("member")

    on_answer = api.post(
        f"/api/posts/{forum.public_post.pk}/comments",
        {"body": "参考になります", "answer_id": answer.pk},
    )
    on_post = api.post(f"/api/posts/{forum.public_post.pk}/comments", {"body": "質問への補足"})
    listed = api.get(f"/api/posts/{forum.public_post.pk}/comments").json()

    assert on_answer.status_code == 201
    assert on_answer.json()["answer_id"] == answer.pk
    assert on_post.status_code == 201
    assert [item["body"] for item in listed["items"]] == ["質問への補足"]


def test_comment_on_an_answer_of_another_post_is_404(forum: Forum) -> None:
    other = make_post(forum.open_space, forum.author)
    answer = AnswerFactory(post=other)

    response = forum.client("member").post(
        f"/api/posts/{forum.public_post.pk}/comments", {"body": "x", "answer_id": answer.pk}
    )

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_asker_accepts_an_answer_and_the_question_is_peer_resolved(forum: Forum) -> None:
    answer = AnswerFactory(post=forum.public_post, author=forum.member)

    response = forum.client("author").post(
        f"/api/posts/{forum.public_post.pk}/accept", {"answer_id": answer.pk}
    )

    assert response.status_code == 200
    body = response.json()
    assert body["accepted_answer_id"] == answer.pk
    assert body["is_solved"] is True
    assert body["is_peer_resolved"] is True


def test_staff_answer_does_not_make_the_question_peer_resolved(forum: Forum) -> None:
    answer = AnswerFactory(post=forum.public_post, author=StaffFactory())

    body = (
        forum.client("author")
        .post(f"/api/posts/{forum.public_post.pk}/accept", {"answer_id": answer.pk})
        .json()
    )

    assert body["is_solved"] is True
    assert body["is_peer_resolved"] is False


def test_other_member_cannot_accept_and_nothing_changes(forum: Forum) -> None:
    answer = AnswerFactory(post=forum.public_post)

    response = forum.client("member").post(
        f"/api/posts/{forum.public_post.pk}/accept", {"answer_id": answer.pk}
    )

    assert response.status_code == 403
    assert error_of(response)["code"] == "accept_answer"
    assert Post.objects.get(pk=forum.public_post.pk).accepted_answer_id is None


def test_moderator_unaccepts_an_answer(forum: Forum) -> None:
    answer = AnswerFactory(post=forum.public_post)
    forum.client("author").post(
        f"/api/posts/{forum.public_post.pk}/accept", {"answer_id": answer.pk}
    )

    response = forum.client("moderator").post(f"/api/posts/{forum.public_post.pk}/unaccept")

    assert response.status_code == 200
    assert response.json()["accepted_answer_id"] is None
    assert response.json()["is_solved"] is False


def test_accepting_an_answer_of_another_post_is_404(forum: Forum) -> None:
    answer = AnswerFactory(post=make_post(forum.open_space, forum.author))

    response = forum.client("author").post(
        f"/api/posts/{forum.public_post.pk}/accept", {"answer_id": answer.pk}
    )

    assert response.status_code == 404
    assert Post.objects.get(pk=forum.public_post.pk).accepted_answer_id is None


def test_moderator_sees_the_unanswered_queue_of_their_spaces(forum: Forum) -> None:
    response = forum.client("moderator").get("/api/questions/unanswered")

    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    assert ids == {forum.public_post.pk, forum.secret_post.pk}
    assert response.json()["count"] == 2


def test_unanswered_queue_filters_by_space(forum: Forum) -> None:
    response = forum.client("moderator").get("/api/questions/unanswered", space="closed-forum")

    assert [item["id"] for item in response.json()["items"]] == [forum.secret_post.pk]


def test_plain_member_is_refused_the_unanswered_queue(forum: Forum) -> None:
    response = forum.client("member").get("/api/questions/unanswered")

    assert response.status_code == 403
    assert error_of(response)["code"] == "unanswered_queue"


def test_unanswered_queue_query_count_does_not_grow(
    forum: Forum, django_assert_num_queries: Any
) -> None:
    api = forum.client("moderator")
    api.get("/api/questions/unanswered")
    baseline = count_queries(lambda: api.get("/api/questions/unanswered"))
    for _ in range(5):
        make_post(forum.closed_space, forum.author)

    with django_assert_num_queries(baseline):
        response = api.get("/api/questions/unanswered")

    assert response.json()["count"] == 7
