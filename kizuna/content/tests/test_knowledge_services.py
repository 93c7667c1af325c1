import pytest
from django.core.exceptions import PermissionDenied

from kizuna.content import knowledge
from kizuna.content.models import KnowledgeArticle, Post
from kizuna.content.tests.engagement_factories import (
    KnowledgeArticleFactory,
    QuestionFactory,
    answered,
)
from kizuna.core.models import AuditEntry
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType, SpaceRole
from kizuna.spaces.tests.factories import MembershipFactory, SpaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def _solved() -> Post:
    question = QuestionFactory()
    question.accepted_answer = answered(question)
    question.save()
    return question


def _promote(actor: object, post: Post, **fields: str) -> KnowledgeArticle:
    values = {"kind": "faq", "title": "請求書の発行", "body": "**設定**から発行します。"}
    values.update(fields)
    return knowledge.promote_to_knowledge(actor=actor, post=post, **values)


def test_staff_moderator_promotes_a_solved_thread_and_it_links_to_its_source() -> None:
    post = _solved()
    moderator = StaffFactory(staff_role="moderator")
    article = _promote(moderator, post)
    assert (article.space_id, article.source_post_id, article.kind, article.promoted_by_id) == (
        post.space_id,
        post.pk,
        "faq",
        moderator.pk,
    )
    assert article.title == "請求書の発行"


def test_promoted_text_is_rendered_from_markdown() -> None:
    article = _promote(StaffFactory(staff_role="moderator"), _solved())
    assert "<strong>設定</strong>" in article.body_html


def test_promoting_is_audited() -> None:
    moderator = StaffFactory(staff_role="moderator")
    article = _promote(moderator, _solved())
    entry = AuditEntry.objects.get()
    assert (entry.actor_id, entry.action, entry.target_id) == (
        moderator.pk,
        "content.promoted_to_knowledge",
        str(article.pk),
    )


def test_unsolved_thread_cannot_be_promoted() -> None:
    with pytest.raises(PermissionDenied):
        _promote(StaffFactory(staff_role="moderator"), QuestionFactory())
    assert not KnowledgeArticle.objects.exists()


def test_staff_without_moderation_cannot_promote() -> None:
    with pytest.raises(PermissionDenied):
        _promote(StaffFactory(staff_role="csm"), _solved())
    assert not KnowledgeArticle.objects.exists()


def test_customer_host_of_the_space_cannot_promote() -> None:
    post = _solved()
    host = MembershipFactory(space=post.space, role=SpaceRole.HOST).member
    with pytest.raises(PermissionDenied):
        _promote(host, post)
    assert not KnowledgeArticle.objects.exists()


def test_asker_cannot_promote() -> None:
    post = _solved()
    with pytest.raises(PermissionDenied):
        _promote(post.author, post)
    assert not KnowledgeArticle.objects.exists()


def test_a_thread_is_promoted_once() -> None:
    post = _solved()
    moderator = StaffFactory(staff_role="moderator")
    _promote(moderator, post)
    with pytest.raises(knowledge.KnowledgeError) as error:
        _promote(moderator, post, title="二度目")
    assert error.value.messages == ["This thread is already in the knowledge section."]
    assert KnowledgeArticle.objects.count() == 1


def test_empty_title_is_refused_with_a_message() -> None:
    with pytest.raises(knowledge.KnowledgeError) as error:
        _promote(StaffFactory(staff_role="moderator"), _solved(), title="  ")
    assert error.value.message_dict == {"title": ["Give the article a title."]}
    assert not KnowledgeArticle.objects.exists()


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(knowledge.KnowledgeError):
        _promote(StaffFactory(staff_role="moderator"), _solved(), kind="blog")
    assert not KnowledgeArticle.objects.exists()


def test_staff_moderator_edits_an_article() -> None:
    article = KnowledgeArticleFactory()
    knowledge.edit_knowledge_article(
        actor=StaffFactory(staff_role="moderator"),
        article=article,
        kind="article",
        title="新しい題",
        body="新しい本文",
    )
    article.refresh_from_db()
    assert (article.title, article.body, article.body_html) == (
        "新しい題",
        "新しい本文",
        "<p>新しい本文</p>\n",
    )


def test_member_cannot_edit_an_article_and_nothing_changes() -> None:
    article = KnowledgeArticleFactory(title="元の題")
    with pytest.raises(PermissionDenied):
        knowledge.edit_knowledge_article(
            actor=MemberFactory(), article=article, kind="faq", title="改ざん", body="x"
        )
    article.refresh_from_db()
    assert article.title == "元の題"


def test_space_list_is_newest_first_and_filters_by_kind() -> None:
    space = SpaceFactory()
    older = KnowledgeArticleFactory(space=space, kind="faq")
    newer = KnowledgeArticleFactory(space=space, kind="article")
    KnowledgeArticleFactory()
    viewer = MemberFactory()
    assert list(knowledge.list_knowledge_for_space(viewer, space)) == [newer, older]
    assert list(knowledge.list_knowledge_for_space(viewer, space, kind="faq")) == [older]


def test_space_list_is_empty_for_someone_who_cannot_read_the_space() -> None:
    space = SpaceFactory(access_type=AccessType.PRIVATE)
    KnowledgeArticleFactory(space=space)
    assert list(knowledge.list_knowledge_for_space(MemberFactory(), space)) == []
