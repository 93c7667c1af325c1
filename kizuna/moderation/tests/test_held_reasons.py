import pytest

from kizuna.content.models import ContentStatus
from kizuna.identity.tests.factories import StaffFactory
from kizuna.moderation.models import Hold, ReviewItem
from kizuna.moderation.selectors import held_reasons, moderation_decision
from kizuna.moderation.tests.factories import AnswerFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_held_post_shows_its_reasons() -> None:
    post = PostFactory(status=ContentStatus.HELD)
    Hold.objects.create(post=post, source="rules", reasons=["宣伝の可能性: 「期間限定」"])

    assert held_reasons(post) == ["宣伝の可能性: 「期間限定」"]


def test_published_post_has_no_held_reasons() -> None:
    post = PostFactory()
    Hold.objects.create(post=post, source="rules", reasons=["old"])

    assert held_reasons(post) == []


def test_held_answer_without_a_hold_has_no_reasons() -> None:
    assert held_reasons(AnswerFactory(status=ContentStatus.HELD)) == []


def test_hidden_post_shows_the_moderators_decision() -> None:
    post = PostFactory(status=ContentStatus.HIDDEN)
    staff = StaffFactory()
    item = ReviewItem.objects.create(
        space=post.space,
        post=post,
        source="flag",
        status="resolved",
        action="hide",
        resolution_reason="Off topic",
        resolved_by=staff,
    )
    item.resolved_at = item.created_at
    item.save()

    decision = moderation_decision(post)

    assert decision is not None
    assert (decision["action"], decision["reason"], decision["by"]) == (
        "hide",
        "Off topic",
        staff.pk,
    )
    assert moderation_decision(PostFactory()) is None
