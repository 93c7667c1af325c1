"""A form sent twice writes once, kept in the database: a cache flush does not forget it."""

import pytest
from django.core.cache import cache

from kizuna.content import services
from kizuna.content.models import Answer, Comment, Post
from kizuna.content.tests.factories import PostFactory
from kizuna.core.models import IdempotencyKey
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_a_post_sent_again_after_a_cache_flush_is_the_first_post() -> None:
    author, space = MemberFactory(), SpaceFactory()
    first = services.create_post(
        author=author,
        space=space,
        post_type="question",
        title="題名",
        body="本文",
        submission_token="form-1",
    )
    cache.clear()

    second = services.create_post(
        author=author,
        space=space,
        post_type="question",
        title="題名",
        body="本文",
        submission_token="form-1",
    )

    assert second.pk == first.pk
    assert Post.objects.count() == 1
    assert IdempotencyKey.objects.get().result_id == first.pk


def test_an_answer_and_a_comment_sent_twice_write_once() -> None:
    author = MemberFactory()
    post = PostFactory()

    answers = [
        services.create_answer(author=author, post=post, body="回答", submission_token="a-1")
        for _ in range(2)
    ]
    comments = [
        services.create_comment(author=author, post=post, body="コメント", submission_token="c-1")
        for _ in range(2)
    ]

    assert answers[0].pk == answers[1].pk
    assert comments[0].pk == comments[1].pk
    assert (Answer.objects.count(), Comment.objects.count()) == (1, 1)
    assert set(IdempotencyKey.objects.values_list("scope", flat=True)) == {
        "content.answer",
        "content.comment",
    }
