from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.conf import settings
from django.core import mail

from kizuna.content.models import ContentStatus
from kizuna.notifications.models import ModerationOutcome, Notification, NotificationKind
from kizuna.notifications.services import notify_moderation_outcome
from kizuna.notifications.tests.factories import EnglishMemberFactory, make_answer, make_post
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_the_author_of_a_held_post_is_told_why(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    post = make_post(status=ContentStatus.HELD, title="50%オフのご案内")
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify_moderation_outcome(
            member=post.author, post=post, outcome=ModerationOutcome.HELD, reason="promotion"
        )
    assert notification is not None
    assert (notification.kind, notification.details) == (
        NotificationKind.MODERATION,
        {"outcome": "held", "reason": "promotion"},
    )
    [message] = mail.outbox
    assert (
        message.subject
        == f"[{settings.KIZUNA_COMMUNITY_NAME}] Your post “50%オフのご案内” was held for review"
    )
    assert "Reason: promotion" in message.body


def test_an_answer_outcome_names_the_answer() -> None:
    answer = make_answer(post=make_post())
    notification = notify_moderation_outcome(
        member=answer.author, answer=answer, outcome=ModerationOutcome.HIDDEN, reason="spam"
    )
    assert notification is not None
    assert (notification.post_id, notification.target_type) == (answer.post_id, "answer")


def test_no_notice_about_a_post_the_member_cannot_see() -> None:
    space = SpaceFactory(access_type=AccessType.APPLICATION)
    post = make_post(space=space, author=EnglishMemberFactory())
    outsider = EnglishMemberFactory()
    assert (
        notify_moderation_outcome(
            member=outsider, post=post, outcome=ModerationOutcome.WARNED, reason="x"
        )
        is None
    )
    assert Notification.objects.count() == 0


def test_an_unknown_outcome_is_refused() -> None:
    post = make_post()
    with pytest.raises(ValueError):
        notify_moderation_outcome(member=post.author, post=post, outcome="banished", reason="")
