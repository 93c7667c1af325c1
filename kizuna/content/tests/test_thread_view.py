from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kizuna.activity.models import Activity, Verb
from kizuna.content.models import ContentStatus, Post
from kizuna.content.tests.factories import AnswerFactory, CommentFactory, PostFactory
from kizuna.customers.tests.factories import make_customer
from kizuna.identity.tests.factories import MemberFactory
from kizuna.moderation.models import Hold
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# post + tags + attachments, answer count and page, answers with their attachments and
# comments, post comments, and the space policy lookups of the page (asked once: the
# post's visibility is decided from them, with no query of its own).
QUERIES_ANONYMOUS_THREAD = 10


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


def thread_url(post: Post) -> str:
    return reverse("content:post-detail", args=[post.pk])


def test_thread_shows_post_answers_and_comments(client: Client) -> None:
    post = PostFactory(title="請求書の再発行", body="**至急**です")
    answer = AnswerFactory(post=post, body="設定画面から再発行できます")
    CommentFactory(post=post, answer=answer, body="助かりました")
    html = client.get(thread_url(post)).content.decode()
    assert "請求書の再発行" in html
    assert "<strong>至急</strong>" in html
    assert "設定画面から再発行できます" in html
    assert "助かりました" in html


def test_private_thread_is_not_found_for_non_members(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE, name="経営層の部屋")
    post = PostFactory(space=space, title="秘密の相談")
    client.force_login(MemberFactory())
    response = client.get(thread_url(post))
    assert response.status_code == 404
    assert "We could not find this page" in response.content.decode()
    assert "秘密の相談" not in response.content.decode()
    assert "経営層の部屋" not in response.content.decode()


@pytest.mark.parametrize("exists", [True, False], ids=["hidden", "missing"])
def test_signed_out_visitor_is_offered_sign_in_back_to_the_thread(
    client: Client, exists: bool
) -> None:
    post = PostFactory(space=SpaceFactory(access_type=AccessType.APPLICATION))
    pk = post.pk if exists else post.pk + 1
    response = client.get(reverse("content:post-detail", args=[pk]))
    assert response.status_code == 404
    assert f'href="/accounts/login/?next=/posts/{pk}/"' in response.content.decode()
    assert "If this page is in a space for members, sign in to read it." in (
        response.content.decode()
    )


def test_signed_in_member_is_not_offered_sign_in_on_a_missing_page(client: Client) -> None:
    client.force_login(MemberFactory())
    response = client.get(reverse("content:post-detail", args=[999999]))
    assert response.status_code == 404
    assert "/accounts/login/" not in response.content.decode()


def test_private_thread_is_readable_by_customers(client: Client) -> None:
    post = PostFactory(space=SpaceFactory(access_type=AccessType.PRIVATE), title="秘密の相談")
    client.force_login(make_customer())
    assert client.get(thread_url(post)).status_code == 200


def test_held_post_is_not_found_for_other_members(client: Client) -> None:
    post = PostFactory(status=ContentStatus.HELD, title="保留中の投稿")
    client.force_login(MemberFactory())
    response = client.get(thread_url(post))
    assert response.status_code == 404
    assert "保留中の投稿" not in response.content.decode()


def test_held_post_shows_reasons_and_resubmit_link_to_its_author(client: Client) -> None:
    post = PostFactory(status=ContentStatus.HELD)
    Hold.objects.create(post=post, source="rules", reasons=["Possible promotion: 'buy now'"])
    client.force_login(post.author)
    html = client.get(thread_url(post)).content.decode()
    assert "Held for review" in html
    assert "Possible promotion: &#x27;buy now&#x27;" in html
    assert reverse("content:post-edit", args=[post.pk]) in html


def test_held_answer_is_hidden_from_other_readers(client: Client) -> None:
    post = PostFactory()
    AnswerFactory(post=post, body="保留された回答", status=ContentStatus.HELD)
    assert "保留された回答" not in client.get(thread_url(post)).content.decode()


def test_deleted_post_is_not_found(client: Client) -> None:
    post = PostFactory(status=ContentStatus.DELETED)
    client.force_login(post.author)
    assert client.get(thread_url(post)).status_code == 404


def test_view_is_counted_once_per_member_per_hour(client: Client) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())
    client.get(thread_url(post))
    client.get(thread_url(post))
    post.refresh_from_db()
    assert post.view_count == 1
    assert Activity.objects.filter(verb=Verb.VIEWED, object_id=post.pk).count() == 1


def test_anonymous_views_are_not_counted(client: Client) -> None:
    post = PostFactory()
    client.get(thread_url(post))
    post.refresh_from_db()
    assert post.view_count == 0


def test_answers_are_paginated_fifty_per_page(client: Client) -> None:
    post = PostFactory()
    AnswerFactory.create_batch(51, post=post, body="回答")
    html = client.get(thread_url(post)).content.decode()
    assert html.count('class="card answer') == 50
    assert "Page 1 of 2" in html


def _thread_queries(client: Client, answers: int) -> int:
    post = PostFactory()
    for answer in AnswerFactory.create_batch(answers, post=post):
        CommentFactory(post=post, answer=answer)
    member = make_customer()
    MembershipFactory(space=post.space, member=member)
    client.force_login(member)
    client.get(thread_url(post))  # the first view writes the view count
    with CaptureQueriesContext(connection) as queries:
        assert client.get(thread_url(post)).status_code == 200
    return len(queries)


def test_thread_page_query_count_does_not_grow_with_answers(client: Client) -> None:
    assert _thread_queries(client, 1) == _thread_queries(client, 30)


def test_thread_page_query_count_for_anonymous_reader(
    client: Client, django_assert_num_queries: Any
) -> None:
    post = PostFactory()
    for answer in AnswerFactory.create_batch(5, post=post):
        CommentFactory(post=post, answer=answer)
    with django_assert_num_queries(QUERIES_ANONYMOUS_THREAD):
        assert client.get(thread_url(post)).status_code == 200


def test_asker_gets_no_edit_link_on_someone_elses_answer(client: Client) -> None:
    post = PostFactory()
    answer = AnswerFactory(post=post)
    client.force_login(post.author)
    html = client.get(thread_url(post)).content.decode()
    assert reverse("content:answer-edit", args=[answer.pk]) not in html


def test_answer_author_gets_an_edit_link(client: Client) -> None:
    answer = AnswerFactory()
    client.force_login(answer.author)
    html = client.get(thread_url(answer.post)).content.decode()
    assert reverse("content:answer-edit", args=[answer.pk]) in html
