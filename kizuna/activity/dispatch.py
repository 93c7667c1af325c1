"""What happens after an activity: consumers register for verbs, the stream queues them (ADR 0010).

The stream imports none of its consumers. Each consumer app registers, in its
`AppConfig.ready()`, the Celery task to run for the verbs it needs; once the action's
transaction commits, only the tasks registered for the activity's verb are queued, with
the activity id as their one argument. A registered task is idempotent and runs with
`acks_late`, and its app keeps a periodic sweep over the stream that does what a lost
task left undone, so the dispatcher never needs to retry.
"""

from collections.abc import Iterable
from functools import partial
from typing import Any, Protocol

from django.db import transaction

from kizuna.activity.models import Activity


class ActivityTask(Protocol):
    """A Celery task of one argument, the activity id."""

    name: str

    def delay(self, activity_id: int) -> Any: ...


_consumers: dict[str, list[ActivityTask]] = {}


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
    for task in consumers_for(activity.verb):
        transaction.on_commit(partial(task.delay, activity.pk), robust=True)
