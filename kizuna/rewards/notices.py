"""The redemption notice: a member is told once about each staff decision on their
redemption (kizuna.notifications.recognition)."""

from datetime import datetime
from typing import Any

from django.db.models import Q

from kizuna.notifications.models import Notification, NotificationKind
from kizuna.notifications.recognition import notify_once
from kizuna.rewards.models import Redemption, RedemptionStatus

# The staff decisions a member hears about; their own cancellation is not news to them.
NOTIFIED_DECISIONS = (
    RedemptionStatus.APPROVED,
    RedemptionStatus.REJECTED,
    RedemptionStatus.FULFILLED,
)


def notify_redemption_decision(*, redemption_id: int, status: str) -> Notification | None:
    """Tell a member that staff approved, rejected (points refunded) or fulfilled their redemption."""
    if status not in NOTIFIED_DECISIONS:
        raise ValueError(f"No notice for a redemption that became {status!r}")
    redemption = (
        Redemption.objects.select_related("reward", "member", "decided_by")
        .filter(pk=redemption_id)
        .first()
    )
    if redemption is None or not redemption.member.is_active:
        return None
    details: dict[str, Any] = {"status": status, "reward_name": redemption.reward.name}
    if status == RedemptionStatus.REJECTED:
        details |= {"reason": redemption.reason, "refunded_points": redemption.cost_points}
    if status == RedemptionStatus.FULFILLED:
        details["note"] = redemption.fulfilment_note
    return notify_once(
        member=redemption.member,
        kind=NotificationKind.REDEMPTION,
        dedupe_key=f"redemption:{redemption.pk}:{status}",
        target_type="redemption",
        target_id=redemption.pk,
        actor=redemption.decided_by,
        details=details,
    )


def notify_missed_redemption_decisions(*, start: datetime, end: datetime) -> None:
    """Sweep: tell members about the staff decisions on their redemptions between `start` and `end`."""
    decided = Redemption.objects.filter(
        Q(status=RedemptionStatus.FULFILLED, fulfilled_at__gte=start, fulfilled_at__lt=end)
        | Q(
            status__in=[RedemptionStatus.APPROVED, RedemptionStatus.REJECTED],
            decided_by__isnull=False,
            decided_at__gte=start,
            decided_at__lt=end,
        )
    )
    for redemption_id, status in decided.values_list("pk", "status"):
        notify_redemption_decision(redemption_id=redemption_id, status=status)
