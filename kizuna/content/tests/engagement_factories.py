"""Posts, answers and articles for the engagement, Q&A and knowledge tests."""

import factory
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kizuna.content.models import Answer, KnowledgeArticle, Post, PostType, Tag
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.tests.factories import SpaceFactory


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag

    name = factory.Sequence(lambda n: f"請求{n}")
    slug = factory.Sequence(lambda n: f"billing-{n}")


class QuestionFactory(factory.django.DjangoModelFactory[Post]):
    class Meta:
        model = Post

    space = factory.SubFactory(SpaceFactory)
    author = factory.SubFactory(MemberFactory)
    post_type = PostType.QUESTION
    title = factory.Sequence(lambda n: f"請求書の発行方法 {n}")
    body = "請求書を発行する手順を教えてください。"
    body_html = "<p>請求書を発行する手順を教えてください。</p>"


class AnswerFactory(factory.django.DjangoModelFactory[Answer]):
    class Meta:
        model = Answer

    post = factory.SubFactory(QuestionFactory)
    author = factory.SubFactory(MemberFactory)
    body = "設定画面の「請求」から発行できます。"
    body_html = "<p>設定画面の「請求」から発行できます。</p>"


class KnowledgeArticleFactory(factory.django.DjangoModelFactory[KnowledgeArticle]):
    class Meta:
        model = KnowledgeArticle

    space = factory.SubFactory(SpaceFactory)
    kind = KnowledgeArticle.Kind.ARTICLE
    title = factory.Sequence(lambda n: f"請求書を発行する {n}")
    body = "設定画面から発行します。"
    body_html = "<p>設定画面から発行します。</p>"
    promoted_by = factory.SubFactory(StaffFactory)


def answered(question: Post, **answer_fields: object) -> Answer:
    """Add an answer and keep the question's counters as the answering service would."""
    answer = AnswerFactory(post=question, **answer_fields)
    question.answer_count += 1
    question.first_answer_at = question.first_answer_at or answer.created_at
    question.save(update_fields=["answer_count", "first_answer_at"])
    return answer


def queries_for_one_get(client: Client, url: str, data: dict[str, str] | None = None) -> int:
    """How many queries one page load runs: the baseline a longer list must not exceed.

    The layout around a page (session, member, notification bell …) belongs to other apps
    and changes with them, so list tests compare against this instead of a fixed number.
    """
    with CaptureQueriesContext(connection) as queries:
        client.get(url, data)
    return len(queries)
