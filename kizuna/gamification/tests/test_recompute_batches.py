"""Recompute replays the history in batches: the same totals as the live path, in a number
of queries that does not grow with the number of activities."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kizuna.activity.models import Verb
from kizuna.activity.services import record_activity
from kizuna.content.models import Reaction
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.gamification.models import LedgerEntry
from kizuna.gamification.services import award_for_activity, recompute_points
from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def build_history(threads: int) -> None:
    """Questions, answers, an accepted answer, kept and withdrawn likes, all paid live."""
    for _ in range(threads):
        question = PostFactory(post_type="question")
        answer = AnswerFactory(post=question)
        question.accepted_answer = answer
        question.save()
        fan, fickle = MemberFactory(), MemberFactory()
        Reaction.objects.create(member=fan, answer=answer, post=question)
        Reaction.objects.create(member=fan, post=question)
        happenings: list[tuple[Any, str, Any]] = [
            (question.author, Verb.POSTED, question),
            (answer.author, Verb.ANSWERED, answer),
            (question.author, Verb.ACCEPTED, answer),
            (fan, Verb.REACTED, answer),
            (fan, Verb.REACTED, question),
            (fickle, Verb.REACTED, question),  # a like withdrawn before it was paid
        ]
        for actor, verb, target in happenings:
            activity = record_activity(actor=actor, verb=verb, target=target)
            if actor is not fickle:
                award_for_activity(activity_id=activity.pk)


def count_recompute_queries(batch_size: int) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert recompute_points(dry_run=True, batch_size=batch_size) == []
    return len(queries)


def test_batched_replay_agrees_with_the_live_awards_whatever_the_batch_size() -> None:
    build_history(threads=3)
    assert LedgerEntry.objects.filter(rule__key="like_received").count() == 6
    for batch_size in (1, 4, 2000):
        assert recompute_points(dry_run=True, batch_size=batch_size) == []


def test_replay_queries_grow_with_batches_not_with_activities() -> None:
    build_history(threads=2)
    few = count_recompute_queries(batch_size=2000)
    build_history(threads=6)
    many = count_recompute_queries(batch_size=2000)
    assert many == few
