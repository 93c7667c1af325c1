"""The asker's own box under a question posts a comment; answering oneself stays possible.

An asker's 「ありがとうございます！」 posted as an answer counted the question as answered
and took it off the unanswered list.
"""

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kizuna.content.models import Comment, Post, PostType
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def thread_url(post: Post) -> str:
    return reverse("content:post-detail", args=[post.pk])


def test_the_asker_sees_the_comment_box_before_the_answer_form(client: Client) -> None:
    post = PostFactory(post_type=PostType.QUESTION)
    client.force_login(post.author)
    html = client.get(thread_url(post)).content.decode()
    box = html.index('id="asker-box"')
    comment_form = html.index('id="comment-form-post"')
    disclosure = html.index("I found the solution myself — post an answer")
    answer_form = html.index('id="answer-form"')
    assert box < comment_form < disclosure < answer_form
    assert f'action="{reverse("content:comment-create", args=[post.pk])}"' in html[box:disclosure]
    assert "Add to your question" in html[box:comment_form]
    # The answer form waits closed behind the disclosure.
    assert html.rfind("<details", 0, answer_form) > html.rfind("</details>", 0, answer_form)
    assert '<details class="card comment-toggle asker-answer">' in html


def test_the_asker_has_one_comment_box_on_the_question(client: Client) -> None:
    post = PostFactory(post_type=PostType.QUESTION)
    client.force_login(post.author)
    html = client.get(thread_url(post)).content.decode()
    assert html.count('id="comment-form-post"') == 1


def test_another_member_answers_first(client: Client) -> None:
    post = PostFactory(post_type=PostType.QUESTION)
    client.force_login(MemberFactory())
    html = client.get(thread_url(post)).content.decode()
    assert 'id="asker-box"' not in html
    assert 'class="card answer-form" id="answer-form"' in html


def test_the_author_of_a_discussion_replies_as_anyone_else(client: Client) -> None:
    post = PostFactory(post_type=PostType.DISCUSSION)
    client.force_login(post.author)
    html = client.get(thread_url(post)).content.decode()
    assert 'id="asker-box"' not in html
    assert 'class="card answer-form" id="answer-form"' in html


def test_a_comment_from_the_asker_does_not_count_as_an_answer(client: Client) -> None:
    post = PostFactory(post_type=PostType.QUESTION)
    AnswerFactory(post=post)
    Post.objects.filter(pk=post.pk).update(answer_count=1)
    client.force_login(post.author)
    response = client.post(
        reverse("content:comment-create", args=[post.pk]),
        {"body": "ありがとうございます！", "answer": "", "submission_token": "thanks-1"},
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.answer_count == 1
    assert Comment.objects.get(post=post).answer_id is None
    html = client.get(thread_url(post)).content.decode()
    assert "ありがとうございます！" in html
    assert ">1 answer</h2>" in html


def test_the_asker_can_still_answer_their_own_question(client: Client) -> None:
    post = PostFactory(post_type=PostType.QUESTION)
    client.force_login(post.author)
    response = client.post(
        reverse("content:answer-create", args=[post.pk]),
        {
            "body": "サポートに聞いたところ、設定画面から再発行できました。",
            "submission_token": "own-1",
        },
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.answer_count == 1


def test_an_asker_comment_with_an_error_comes_back_in_the_askers_box(client: Client) -> None:
    post = PostFactory(post_type=PostType.QUESTION)
    client.force_login(post.author)
    response = client.post(
        reverse("content:comment-create", args=[post.pk]),
        {"body": "", "answer": ""},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response["HX-Retarget"] == "#comment-form-post"
    assert ">Post comment</button>" in html
