import pytest
from django.test import Client
from django.urls import reverse
from pytest_django import DjangoAssertNumQueries

from kizuna.content.models import ContentStatus, KnowledgeArticle, Post
from kizuna.content.tests.engagement_factories import (
    KnowledgeArticleFactory,
    QuestionFactory,
    answered,
    queries_for_one_get,
)
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _solved(**fields: object) -> Post:
    question = QuestionFactory(**fields)
    question.accepted_answer = answered(question, body="「請求」タブから発行できます。")
    question.save()
    return question


def test_space_knowledge_lists_articles_with_their_kind(client: Client) -> None:
    space = SpaceFactory()
    KnowledgeArticleFactory(space=space, kind="faq", title="請求書の再発行")
    html = client.get(reverse("engagement:space-knowledge", args=[space.slug])).content.decode()
    assert "請求書の再発行" in html
    assert "FAQ entry" in html


def test_space_knowledge_has_an_empty_state(client: Client) -> None:
    space = SpaceFactory()
    html = client.get(reverse("engagement:space-knowledge", args=[space.slug])).content.decode()
    assert "No knowledge yet." in html


def test_private_space_knowledge_sends_a_non_member_to_the_space_page(client: Client) -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    KnowledgeArticleFactory(space=space, title="社外秘の手順")
    client.force_login(MemberFactory())
    response = client.get(reverse("engagement:space-knowledge", args=[space.slug]))
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("spaces:space-detail", args=[space.slug]),
    )
    assert "社外秘の手順" not in response.content.decode()


def test_space_knowledge_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    space = SpaceFactory()
    KnowledgeArticleFactory(space=space)
    client.force_login(MemberFactory())
    url = reverse("engagement:space-knowledge", args=[space.slug])
    one_article = queries_for_one_get(client, url)
    for _ in range(7):
        KnowledgeArticleFactory(space=space)
    with django_assert_num_queries(one_article):
        response = client.get(reverse("engagement:space-knowledge", args=[space.slug]))
    assert len(response.context["page"].object_list) == 8


def test_article_page_links_back_to_its_source_thread(client: Client) -> None:
    post = _solved(title="請求書はどこから発行しますか")
    article = KnowledgeArticleFactory(space=post.space, source_post=post)
    html = client.get(reverse("engagement:knowledge-article", args=[article.pk])).content.decode()
    assert "From the thread" in html
    assert "請求書はどこから発行しますか" in html


def test_article_page_hides_a_source_thread_the_reader_cannot_see(client: Client) -> None:
    post = _solved(title="非表示になったスレッド", status=ContentStatus.HIDDEN)
    article = KnowledgeArticleFactory(space=post.space, source_post=post)
    html = client.get(reverse("engagement:knowledge-article", args=[article.pk])).content.decode()
    assert "非表示になったスレッド" not in html
    assert "From the thread" not in html


def test_article_of_a_private_space_is_not_found_for_a_non_member(client: Client) -> None:
    article = KnowledgeArticleFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    client.force_login(MemberFactory())
    response = client.get(reverse("engagement:knowledge-article", args=[article.pk]))
    assert response.status_code == 404
    assert article.title not in response.content.decode()


def test_promote_form_is_prefilled_from_the_question_and_accepted_answer(client: Client) -> None:
    post = _solved(title="請求書の発行方法")
    client.force_login(StaffFactory(staff_role="moderator"))
    response = client.get(reverse("engagement:knowledge-promote", args=[post.pk]))
    form = response.context["form"]
    assert form.initial["title"] == "請求書の発行方法"
    assert "「請求」タブから発行できます。" in form.initial["body"]


def test_promote_form_creates_the_article_and_opens_it(client: Client) -> None:
    post = _solved()
    client.force_login(StaffFactory(staff_role="moderator"))
    response = client.post(
        reverse("engagement:knowledge-promote", args=[post.pk]),
        {"kind": "faq", "title": "請求書の発行", "body": "設定から発行します。"},
    )
    article = KnowledgeArticle.objects.get()
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("engagement:knowledge-article", args=[article.pk]),
    )
    assert article.source_post_id == post.pk


def test_promote_form_shows_errors_and_writes_nothing(client: Client) -> None:
    post = _solved()
    client.force_login(StaffFactory(staff_role="moderator"))
    response = client.post(
        reverse("engagement:knowledge-promote", args=[post.pk]),
        {"kind": "faq", "title": "", "body": "本文"},
    )
    assert response.status_code == 400
    assert not KnowledgeArticle.objects.exists()


def test_promote_form_is_refused_to_a_member(client: Client) -> None:
    post = _solved()
    client.force_login(post.author)
    response = client.post(
        reverse("engagement:knowledge-promote", args=[post.pk]),
        {"kind": "faq", "title": "題", "body": "本文"},
    )
    assert response.status_code == 403
    assert not KnowledgeArticle.objects.exists()


def test_edit_form_saves_the_article(client: Client) -> None:
    article = KnowledgeArticleFactory()
    client.force_login(StaffFactory(staff_role="moderator"))
    response = client.post(
        reverse("engagement:knowledge-edit", args=[article.pk]),
        {"kind": "article", "title": "改訂版", "body": "改訂した本文"},
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "改訂版"


def test_edit_form_is_refused_to_a_member(client: Client) -> None:
    article = KnowledgeArticleFactory(title="元の題")
    client.force_login(MemberFactory())
    response = client.post(
        reverse("engagement:knowledge-edit", args=[article.pk]),
        {"kind": "article", "title": "改ざん", "body": "x"},
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.title == "元の題"


def test_space_page_links_to_its_knowledge_section(client: Client) -> None:
    space = SpaceFactory()
    html = client.get(reverse("spaces:space-detail", args=[space.slug])).content.decode()
    assert reverse("engagement:space-knowledge", args=[space.slug]) in html
