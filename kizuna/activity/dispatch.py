"""What happens after an activity: consumers register for verbs, the stream queues them (ADR 0010).

The stream imports none of its consumers. Each consumer app registers, in its
`AppConfig.ready()`, the Celery task to run for the verbs it needs; once the action's
transaction commits, only the tasks registered for the activity's verb are queued, with
the activity id as their one argument. A registered task is idempotent and runs with
`acks_late`, and its app keeps a periodic sweep over the stream that does what a lost
task left undone, so the dispatcher never needs to retry.

Some writes change a thread without being an activity (an edit, a moderator's decision, an
attachment). Their consumers (the search index) register a function instead, which
`thread_changed` calls inside the writer's transaction: whatever it records there commits or
rolls back with the write, and it queues its own task on commit.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import partial
from typing import Any, Protocol

from django.db import transaction

from kizuna.activity.models import Activity


class ActivityTask(Protocol):
    """A Celery task of one argument, the activity id."""

    def delay(self, activity_id: int) -> Any: ...


class ThreadConsumer(Protocol):
    """Called with the thread's post id inside the transaction of a write that changed it."""

    def __call__(self, post_id: int) -> None: ...


_consumers: dict[str, list[ActivityTask]] = {}
_thread_consumers: list[ThreadConsumer] = []
# Per thread of execution (a context variable), never shared between requests or processes.
_replaying: ContextVar[bool] = ContextVar("kizuna_activity_replaying", default=False)


@contextmanager
def replaying_history() -> Iterator[None]:
    """Record what the block writes in the stream without telling any consumer.

    For writing history after the fact (content brought over from an earlier forum, the
    demo's year of posts): nobody is notified of year-old posts, and the consumers' work is
    done in bulk afterwards by the one who replays, with the apps' own catch-up paths: points
    by `award_pending_activities`, the search index by indexing the threads written.
    """
    token = _replaying.set(True)
    try:
        yield
    finally:
        _replaying.reset(token)


def register_consumer(task: ActivityTask, *, verbs: Iterable[str]) -> None:
    """Queue `task` after every committed activity with one of `verbs`; call it from ready()."""
    for verb in verbs:
        registered = _consumers.setdefault(verb, [])
        if task not in registered:
            registered.append(task)


def consumers_for(verb: str) -> tuple[ActivityTask, ...]:
    """The tasks an activity with this verb queues, in the order they registered."""
    return tuple(_consumers.get(verb, ()))


def dispatch_on_commit(activity: Activity) -> None:
    """Queue the activity's consumers once the caller's transaction commits (nothing if it rolls
    back); a broker that refuses the task is logged, not raised, because the sweeps catch up."""
    if _replaying.get():
        return
    for task in consumers_for(activity.verb):
        transaction.on_commit(partial(task.delay, activity.pk), robust=True)


def register_thread_consumer(consumer: ThreadConsumer) -> None:
    """Call `consumer(post_id)` in every write that changes a thread; call it from ready()."""
    if consumer not in _thread_consumers:
        _thread_consumers.append(consumer)


def thread_changed(post_id: int) -> None:
    """Tell the thread consumers, inside the caller's transaction, that a post, one of its
    answers or comments, or their status changed."""
    if _replaying.get():
        return
    for consumer in _thread_consumers:
        consumer(post_id)
