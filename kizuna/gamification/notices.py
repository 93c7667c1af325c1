"""The level-up notice: which level a member reached, told once (kizuna.notifications.recognition)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, Sum

from kizuna.gamification.models import EARNING_KINDS, LedgerEntry, Level, MemberBalance
from kizuna.gamification.selectors import level_for_points, list_levels
from kizuna.identity.models import Member
from kizuna.notifications.models import Notification, NotificationKind
from kizuna.notifications.recognition import notify_once


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
        return notify_once(
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


def notify_missed_level_ups(*, start: datetime, end: datetime) -> None:
    """Sweep: announce the levels crossed by points earned between `start` and `end`."""
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
