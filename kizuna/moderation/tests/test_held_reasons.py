import pytest

from kizuna.content.models import ContentStatus
from kizuna.moderation.selectors import held_reasons
from kizuna.moderation.tests.factories import AnswerFactory, PostFactory

pytestmark = pytest.mark.django_db


def test_held_post_shows_its_reasons() -> None:
    post = PostFactory(
        status=ContentStatus.HELD, moderation_note={"reasons": ["宣伝の可能性: 「期間限定」"]}
    )

    assert held_reasons(post) == ["宣伝の可能性: 「期間限定」"]


def test_published_post_has_no_held_reasons() -> None:
    post = PostFactory(moderation_note={"reasons": ["old"]})

    assert held_reasons(post) == []


def test_held_answer_without_a_note_has_no_reasons() -> None:
    assert held_reasons(AnswerFactory(status=ContentStatus.HELD)) == []


def test_hidden_post_shows_the_moderators_decision() -> None:
    from kizuna.moderation.selectors import moderation_decision

    post = PostFactory(
        status=ContentStatus.HIDDEN,
        moderation_note={"decision": {"action": "hide", "reason": "Off topic"}},
    )

    assert moderation_decision(post) == {"action": "hide", "reason": "Off topic"}
    assert moderation_decision(PostFactory()) is None
