from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pytest
from celery.signals import task_prerun
from django.db import transaction
from django.test import Client
from django.urls import reverse

from kizuna.activity.dispatch import consumers_for, thread_changed
from kizuna.activity.models import Activity, Verb
from kizuna.activity.services import record_activity
from kizuna.content.services import record_post_view
from kizuna.content.tests.factories import PostFactory
from kizuna.identity.tests.factories import MemberFactory
from kizuna.search.models import PendingIndex

pytestmark = pytest.mark.django_db

AWARD = "kizuna.gamification.tasks.award_for_activity"
FAN_OUT = "kizuna.notifications.tasks.fan_out_activity"


@contextmanager
def _tasks_run(capture: Any) -> Iterator[list[str]]:
    """Run the block's commit callbacks with the real eager Celery; yields the tasks that ran."""
    ran: list[str] = []

    def note(sender: Any, **kwargs: Any) -> None:
        ran.append(sender.name)

    task_prerun.connect(note, weak=False)
    try:
        with capture(execute=True):
            yield ran
    finally:
        task_prerun.disconnect(note)
    ran.sort()


def _tasks_run_by(verb: Verb, capture: Any, *, dispatch: bool = True) -> list[str]:
    with _tasks_run(capture) as ran:
        record_activity(actor=MemberFactory(), verb=verb, dispatch=dispatch)
    return ran


@pytest.mark.parametrize(
    ("verb", "expected"),
    [
        (Verb.POSTED, [AWARD, FAN_OUT]),
        (Verb.ANSWERED, [AWARD, FAN_OUT]),
        (Verb.ACCEPTED, [AWARD, FAN_OUT]),
        (Verb.COMMENTED, [FAN_OUT]),
        (Verb.REACTED, [AWARD]),
        (Verb.VIEWED, []),
        (Verb.LOGGED_IN, []),
        (Verb.JOINED, []),
        (Verb.FLAGGED, []),
    ],
)
def test_an_activity_queues_only_the_consumers_of_its_verb(
    verb: Verb, expected: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    assert _tasks_run_by(verb, django_capture_on_commit_callbacks) == expected


def test_an_undispatched_activity_queues_nothing(django_capture_on_commit_callbacks: Any) -> None:
    assert _tasks_run_by(Verb.POSTED, django_capture_on_commit_callbacks, dispatch=False) == []


def test_a_thread_view_queues_nothing_after_commit(django_capture_on_commit_callbacks: Any) -> None:
    post = PostFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        counted = record_post_view(viewer=MemberFactory(), post=post)
    assert (counted, callbacks, consumers_for(Verb.VIEWED)) == (True, [], ())


def test_opening_a_thread_page_runs_no_task(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    post = PostFactory()
    client.force_login(MemberFactory())
    with _tasks_run(django_capture_on_commit_callbacks) as ran:
        status = client.get(reverse("content:post-detail", args=[post.pk])).status_code
    viewed = Activity.objects.filter(verb=Verb.VIEWED, object_id=post.pk).count()
    assert (status, viewed, ran) == (200, 1, [])


def test_nothing_is_queued_when_the_action_rolls_back(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        record_activity(actor=MemberFactory(), verb=Verb.POSTED)
        raise RuntimeError
    assert callbacks == []


def test_a_changed_thread_is_marked_for_search_inside_the_writers_transaction() -> None:
    post = PostFactory()
    PendingIndex.objects.filter(post_id=post.pk).delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        thread_changed(post.pk)
        marked_inside = PendingIndex.objects.filter(post_id=post.pk).exists()
        raise RuntimeError
    assert (marked_inside, PendingIndex.objects.filter(post_id=post.pk).exists()) == (True, False)


def test_a_changed_thread_is_indexed_once_the_write_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = PostFactory()
    with (
        mock.patch("kizuna.search.tasks.index_post.delay") as index_post,
        django_capture_on_commit_callbacks(execute=True),
    ):
        thread_changed(post.pk)
    index_post.assert_called_once_with(post.pk)
