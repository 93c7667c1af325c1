"""Recognition notices (a new level reached, a badge earned, a decision on a reward
redemption): the one way the apps that recognise members make a notice, and the sweep that
makes the ones a dying process lost.

The gamification, badges and rewards apps build their notices (their `notices` modules) and
call `notify_once` through `transaction.on_commit(..., robust=True)`: an award that rolls
back notifies nobody, and a failure here is logged without undoing the award that was
already committed. Each notice is made at most once (`Notification.dedupe_key`), so replays,
recomputes and repeated callbacks change nothing. A process that dies between the commit
and the call loses the notice; each of those apps registers a sweep (from its
`AppConfig.ready()`) that the notifications sweep runs over the same window a little later.

This module imports none of those apps: they import it.
"""

from datetime import datetime
from typing import Any, Protocol

from django.db import transaction

from kizuna.identity.models import Member
from kizuna.notifications.models import EmailChannel, Notification, NotificationKind
from kizuna.notifications.services import email_channels_for, queue_notification_emails


class MissedNoticeSweep(Protocol):
    """A recognising app's sweep over one window of committed time."""

    def __call__(self, *, start: datetime, end: datetime) -> None: ...


_missed_notice_sweeps: list[MissedNoticeSweep] = []


def notify_once(
    *,
    member: Member,
    kind: NotificationKind,
    dedupe_key: str,
    target_type: str,
    target_id: int,
    details: dict[str, Any],
    actor: Member | None = None,
) -> Notification | None:
    """Make the notice once per key and queue its email; None when it was made before."""
    channel = email_channels_for(member_ids=[member.pk], kind=kind)[member.pk]
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            recipient=member,
            dedupe_key=dedupe_key,
            defaults={
                "kind": kind,
                "actor": actor,
                "target_type": target_type,
                "target_id": target_id,
                "details": details,
                "email_channel": channel,
            },
        )
        if not created:
            return None
        if notification.email_channel == EmailChannel.IMMEDIATE:
            queue_notification_emails([notification.pk])
    return notification


def register_missed_notice_sweep(sweep: MissedNoticeSweep) -> None:
    """Have the notifications sweep call `sweep(start=, end=)` to make the notices of what was
    committed in that window; call it from the recognising app's `AppConfig.ready()`."""
    if sweep not in _missed_notice_sweeps:
        _missed_notice_sweeps.append(sweep)


def notify_missed_recognition(*, start: datetime, end: datetime) -> None:
    """Sweep: make the recognition notices of what was committed between `start` and `end`
    whose after-commit call never ran (what was already announced stays as it is)."""
    for sweep in _missed_notice_sweeps:
        sweep(start=start, end=end)
