import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kizuna.content.models import Answer, Comment
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def test_answer_without_htmx_redirects_to_the_answer(client: Client) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())
    response = client.post(reverse("content:answer-create", args=[post.pk]), {"body": "回答です"})
    answer = Answer.objects.get()
    assert response["Location"] == f"/posts/{post.pk}/#answer-{answer.pk}"


def test_answer_with_htmx_returns_the_answer_and_a_fresh_form(client: Client) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())
    response = client.post(
        reverse("content:answer-create", args=[post.pk]),
        {"body": "回答です"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="answer-{Answer.objects.get().pk}"' in html
    assert 'id="answer-form" hx-swap-oob="true"' in html
    assert "<html" not in html


def test_empty_answer_with_htmx_shows_errors_in_place(client: Client) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())
    response = client.post(
        reverse("content:answer-create", args=[post.pk]),
        {"body": ""},
        headers={"HX-Request": "true"},
    )
    assert response["HX-Retarget"] == "#answer-form"
    assert "This field is required." in response.content.decode()
    assert Answer.objects.count() == 0


def test_answer_to_private_thread_by_outsider_changes_nothing(client: Client) -> None:
    post = PostFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    client.force_login(MemberFactory())
    response = client.post(reverse("content:answer-create", args=[post.pk]), {"body": "x"})
    assert response.status_code == 404
    assert Answer.objects.count() == 0


def test_comment_with_htmx_returns_the_comment(client: Client) -> None:
    answer = AnswerFactory()
    client.force_login(MemberFactory())
    response = client.post(
        reverse("content:comment-create", args=[answer.post_id]),
        {"body": "なるほど", "answer": answer.pk},
        headers={"HX-Request": "true"},
    )
    comment = Comment.objects.get()
    assert response.content.decode().startswith(
        f'<li class="comment small" id="comment-{comment.pk}">'
    )


def test_comment_without_htmx_redirects_to_the_thread(client: Client) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())
    response = client.post(reverse("content:comment-create", args=[post.pk]), {"body": "なるほど"})
    assert response["Location"] == f"/posts/{post.pk}/#comments"
    assert Comment.objects.get().answer_id is None


def test_answer_edit_page_is_refused_to_others(client: Client) -> None:
    answer = AnswerFactory()
    client.force_login(MemberFactory())
    assert client.get(reverse("content:answer-edit", args=[answer.pk])).status_code == 403


def test_answer_edit_saves_and_shows_history(client: Client) -> None:
    answer = AnswerFactory(body="古い回答")
    client.force_login(answer.author)
    client.post(
        reverse("content:answer-edit", args=[answer.pk]),
        {"body": "新しい回答", "edited_marker": "never"},
    )
    html = client.get(reverse("content:answer-history", args=[answer.pk])).content.decode()
    assert "- 古い回答" in html
    assert "+ 新しい回答" in html
