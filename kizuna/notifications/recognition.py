"""Recognition notices: a new level reached, a badge earned, a decision on a reward redemption.

The ledger, badge and reward services call these through
`transaction.on_commit(..., robust=True)`: an award that rolls back notifies nobody, and a
failure here is logged without undoing the award that was already committed. Each notice is
made at most once (`Notification.dedupe_key`), so replays, recomputes and repeated callbacks
change nothing. A process that dies between the commit and the call loses the notice; the
notifications sweep (`notify_missed_recognition`) makes it a little later.

This module reads the models and selectors of those apps, never their services, because
their services call it.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum

from kizuna.badges.models import BadgeAward
from kizuna.gamification.models import EARNING_KINDS, LedgerEntry, Level, MemberBalance
from kizuna.gamification.selectors import level_for_points, list_levels
from kizuna.identity.models import Member
from kizuna.notifications.models import EmailChannel, Notification, NotificationKind
from kizuna.notifications.services import email_channels_for, queue_notification_emails
from kizuna.rewards.models import Redemption, RedemptionStatus

# The staff decisions a member hears about; their own cancellation is not news to them.
NOTIFIED_DECISIONS = (
    RedemptionStatus.APPROVED,
    RedemptionStatus.REJECTED,
    RedemptionStatus.FULFILLED,
)


def _notify(
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


def notify_level_up(
    *, member_id: int, points_before: int, points_after: int
) -> Notification | None:
    """After one ledger entry moved a member's earned points up, announce the level it reached.

    One notice for the highest level reached, however many thresholds the entry crossed, and
    only when that level ranks above every level the member was already told of: falling
    back and climbing again, a replay or a recompute never announce a level twice. The
    starting level (threshold 0) is never announced.
    """
    floor = max(points_before, 0)
    if not Level.objects.filter(threshold__gt=floor, threshold__lte=points_after).exists():
        return None
    with transaction.atomic():
        # The balance row is what every ledger write locks; holding it here as well means
        # two level-ups committed back to back are never both judged "not told yet".
        balance = MemberBalance.objects.select_for_update().filter(member_id=member_id).first()
        member = Member.objects.filter(pk=member_id, is_active=True).first()
        if balance is None or member is None:
            return None
        # A reversal committed since this entry may have taken the member back down.
        reached = level_for_points(min(points_after, balance.lifetime_points), list_levels())
        if reached is None or reached.threshold <= floor:
            return None
        told = Notification.objects.filter(
            recipient_id=member_id, kind=NotificationKind.LEVEL_UP
        ).values("target_id")
        if Level.objects.filter(pk__in=told, threshold__gte=reached.threshold).exists():
            return None
        return _notify(
            member=member,
            kind=NotificationKind.LEVEL_UP,
            dedupe_key=f"level:{reached.pk}",
            target_type="level",
            target_id=reached.pk,
            details={
                "level_name_ja": reached.name_ja,
                "level_name_en": reached.name_en,
                "threshold": reached.threshold,
            },
        )


def notify_badge_earned(*, award_id: int) -> Notification | None:
    """Tell a member about a badge they were awarded (automatically, or by staff with a reason)."""
    award = (
        BadgeAward.objects.select_related("badge", "member", "awarded_by")
        .filter(pk=award_id)
        .first()
    )
    if award is None or not award.member.is_active:
        return None
    badge = award.badge
    return _notify(
        member=award.member,
        kind=NotificationKind.BADGE_EARNED,
        dedupe_key=f"badge_award:{award.pk}",
        target_type="badge_award",
        target_id=award.pk,
        actor=award.awarded_by,
        details={
            "badge_slug": badge.slug,
            "badge_name_ja": badge.name_ja,
            "badge_name_en": badge.name_en,
            "reason": award.reason,
        },
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
    return _notify(
        member=redemption.member,
        kind=NotificationKind.REDEMPTION,
        dedupe_key=f"redemption:{redemption.pk}:{status}",
        target_type="redemption",
        target_id=redemption.pk,
        actor=redemption.decided_by,
        details=details,
    )


def notify_missed_recognition(*, start: datetime, end: datetime) -> None:
    """Sweep: make the notices of what was committed between `start` and `end` whose
    after-commit call never ran. Every notice is made once per key, so what was already
    announced stays as it is."""
    awards = BadgeAward.objects.filter(created_at__gte=start, created_at__lt=end)
    for award_id in awards.values_list("pk", flat=True):
        notify_badge_earned(award_id=award_id)
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
    # Earned points at `start` are today's minus everything earned since: a member whose
    # points rose inside the window is checked for a level crossed since `start`.
    moved = (
        LedgerEntry.objects.filter(kind__in=EARNING_KINDS, created_at__gte=start)
        .values("member_id")
        .annotate(
            since_start=Sum("amount"),
            rises=Count("pk", filter=Q(created_at__lt=end, amount__gt=0)),
        )
        .filter(rises__gt=0)
        .values_list("member_id", "since_start")
    )
    earned_since = dict(moved)
    lifetime = dict(
        MemberBalance.objects.filter(member_id__in=earned_since).values_list(
            "member_id", "lifetime_points"
        )
    )
    for member_id, since_start in earned_since.items():
        points_now = lifetime.get(member_id, 0)
        notify_level_up(
            member_id=member_id,
            points_before=points_now - int(since_start or 0),
            points_after=points_now,
        )
