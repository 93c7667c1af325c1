"""Content held for review earns its points when a moderator approves it, once."""

from typing import Any

import pytest

from kizuna.activity.models import Activity, Verb
from kizuna.content.models import ContentStatus, PostType
from kizuna.gamification.models import LedgerEntry
from kizuna.gamification.services import award_pending_activities
from kizuna.identity.tests.factories import StaffFactory
from kizuna.moderation import services
from kizuna.moderation.tests.factories import PostFactory, ReviewItemFactory

pytestmark = pytest.mark.django_db


def test_approving_a_held_question_pays_its_author_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    item = ReviewItemFactory(
        post=PostFactory(post_type=PostType.QUESTION, status=ContentStatus.HELD)
    )
    author = item.post.author
    with django_capture_on_commit_callbacks(execute=True):
        Activity.objects.create(
            actor=author, verb=Verb.POSTED, object_type="post", object_id=item.post.pk
        )
    # Held when written: the sweep pays nothing yet.
    award_pending_activities()
    assert not LedgerEntry.objects.filter(member=author).exists()

    with django_capture_on_commit_callbacks(execute=True):
        services.approve_item(actor=StaffFactory(), item=item, reason="OK")
    award_pending_activities()

    entries = LedgerEntry.objects.filter(member=author)
    assert [(entry.rule.key, entry.amount > 0) for entry in entries] == [("asked_question", True)]
