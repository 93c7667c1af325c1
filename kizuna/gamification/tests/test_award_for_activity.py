from datetime import timedelta

import pytest
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.activity.services import record_activity
from kizuna.content.engagement import react, unreact
from kizuna.content.models import ContentStatus, PostType
from kizuna.content.qa import accept_answer
from kizuna.content.tests.factories import AnswerFactory, PostFactory
from kizuna.gamification.models import EntryKind, GamificationCursor, LedgerEntry
from kizuna.gamification.selectors import get_balance
from kizuna.gamification.services import (
    award_for_activity,
    award_pending_activities,
    reverse_stale_awards,
)
from kizuna.gamification.tests.helpers import assert_balances_match_ledger
from kizuna.identity.tests.factories import MemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_asking_a_question_pays_the_asker_once_however_often_it_runs() -> None:
    post = PostFactory(post_type=PostType.QUESTION)
    activity = record_activity(actor=post.author, verb=Verb.POSTED, target=post)
    award_for_activity(activity_id=activity.pk)
    award_for_activity(activity_id=activity.pk)
    assert get_balance(post.author) == 5
    assert LedgerEntry.objects.get().idempotency_key == (
        f"activity:{activity.pk}:asked_question:{post.author.pk}"
    )


def test_a_held_question_earns_nothing() -> None:
    post = PostFactory(status=ContentStatus.HELD)
    activity = record_activity(actor=post.author, verb=Verb.POSTED, target=post)
    assert award_for_activity(activity_id=activity.pk) == []


def test_accepting_pays_the_answerer_and_the_asker() -> None:
    answer = AnswerFactory()
    accept_answer(actor=answer.post.author, post=answer.post, answer=answer)
    activity = Activity.objects.get(verb=Verb.ACCEPTED)
    award_for_activity(activity_id=activity.pk)
    assert get_balance(answer.author) == 15
    assert get_balance(answer.post.author) == 2


def test_a_like_pays_the_author_and_is_reversed_when_withdrawn() -> None:
    post = PostFactory()
    fan = MemberFactory()
    react(member=fan, post=post)
    activity = Activity.objects.get(verb=Verb.REACTED)
    (entry,) = award_for_activity(activity_id=activity.pk)
    assert entry.member_id == post.author_id and entry.counterparty_id == fan.pk
    unreact(member=fan, post=post)
    reverse_stale_awards()
    reverse_stale_awards()
    assert get_balance(post.author) == 0
    assert LedgerEntry.objects.filter(kind=EntryKind.REVERSAL).count() == 1
    assert_balances_match_ledger()


def test_hiding_an_answer_reverses_its_award() -> None:
    answer = AnswerFactory()
    activity = record_activity(actor=answer.author, verb=Verb.ANSWERED, target=answer)
    award_for_activity(activity_id=activity.pk)
    assert get_balance(answer.author) == 5
    answer.status = ContentStatus.HIDDEN
    answer.save()
    reverse_stale_awards()
    assert get_balance(answer.author) == 0


def test_the_sweep_awards_settled_activities_once_in_id_order() -> None:
    post = PostFactory()
    old = record_activity(actor=post.author, verb=Verb.POSTED, target=post)
    Activity.objects.filter(pk=old.pk).update(occurred_at=timezone.now() - timedelta(minutes=5))
    fresh = record_activity(actor=post.author, verb=Verb.POSTED, target=post)
    assert award_pending_activities() == 1
    assert GamificationCursor.objects.get().last_activity_id == old.pk
    assert award_pending_activities() == 0
    assert award_pending_activities(settle=timedelta(0)) == 1
    assert GamificationCursor.objects.get().last_activity_id == fresh.pk
    assert get_balance(post.author) == 10
