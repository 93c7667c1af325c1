"""The badge notice: a member is told once about each badge awarded to them
(kizuna.notifications.recognition)."""

from datetime import datetime

from kizuna.badges.models import BadgeAward
from kizuna.notifications.models import Notification, NotificationKind
from kizuna.notifications.recognition import notify_once


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
    return notify_once(
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


def notify_missed_badges(*, start: datetime, end: datetime) -> None:
    """Sweep: tell members about the badges awarded between `start` and `end`."""
    awards = BadgeAward.objects.filter(created_at__gte=start, created_at__lt=end)
    for award_id in awards.values_list("pk", flat=True):
        notify_badge_earned(award_id=award_id)
