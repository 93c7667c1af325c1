"""Replaying history (an import, the demo's year of posts) records activities and tells nobody."""

from typing import Any

import pytest
from celery.signals import task_prerun

from kizuna.activity.dispatch import replaying_history, thread_changed
from kizuna.activity.models import Activity, Verb
from kizuna.activity.services import record_activity
from kizuna.content.tests.factories import PostFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.search.models import PendingIndex

pytestmark = pytest.mark.django_db


def _tasks_run_after(block: Any, capture: Any) -> list[str]:
    ran: list[str] = []

    def note(sender: Any, **kwargs: Any) -> None:
        ran.append(sender.name)

    task_prerun.connect(note, weak=False)
    try:
        with capture(execute=True):
            block()
    finally:
        task_prerun.disconnect(note)
    return ran


def test_an_activity_recorded_while_replaying_queues_no_consumer(
    django_capture_on_commit_callbacks: Any,
) -> None:
    member = MemberFactory()

    def answer_in_the_past() -> None:
        with replaying_history():
            record_activity(actor=member, verb=Verb.ANSWERED)

    assert _tasks_run_after(answer_in_the_past, django_capture_on_commit_callbacks) == []
    assert Activity.objects.filter(actor=member, verb=Verb.ANSWERED).exists()


def test_the_same_activity_outside_a_replay_queues_its_consumers(
    django_capture_on_commit_callbacks: Any,
) -> None:
    member = MemberFactory()

    def answer_now() -> None:
        record_activity(actor=member, verb=Verb.ANSWERED)

    assert _tasks_run_after(answer_now, django_capture_on_commit_callbacks)


def test_a_thread_changed_while_replaying_is_left_to_the_replayer_to_index() -> None:
    post = PostFactory()
    PendingIndex.objects.all().delete()

    with replaying_history():
        thread_changed(post.pk)

    assert not PendingIndex.objects.filter(post_id=post.pk).exists()
    thread_changed(post.pk)
    assert PendingIndex.objects.filter(post_id=post.pk).exists()
