"""Every write of the badges app: automatic evaluation, staff awards and revocations."""

import logging
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.badges.criteria import CRITERIA
from kizuna.badges.models import Badge, BadgeAward, BadgeKind
from kizuna.badges.notices import notify_badge_earned
from kizuna.badges.permissions import check_manage_badges
from kizuna.core.audit import record_audit
from kizuna.identity.models import Member

logger = logging.getLogger(__name__)


def evaluate_badges_for(*, member: Member) -> list[BadgeAward]:
    """Award every active automatic badge whose criterion the member now meets; returns new awards.

    Idempotent: badges already held are skipped, and the unique (badge, member) constraint
    with get_or_create makes a concurrent second run a no-op. Badges once earned are kept.
    """
    if not member.is_active:
        return []
    held = set(BadgeAward.objects.filter(member=member).values_list("badge_id", flat=True))
    candidates = Badge.objects.filter(kind=BadgeKind.AUTOMATIC, is_active=True).exclude(pk__in=held)
    awarded: list[BadgeAward] = []
    for badge in candidates:
        criterion = CRITERIA.get(badge.criterion)
        if criterion is None:
            logger.warning("Badge %s names an unknown criterion %r", badge.slug, badge.criterion)
            continue
        if not criterion(member):
            continue
        award, created = BadgeAward.objects.get_or_create(badge=badge, member=member)
        if created:
            awarded.append(award)
            transaction.on_commit(partial(notify_badge_earned, award_id=award.pk), robust=True)
    return awarded


def _clean_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    return reason[:1000]


def _check_staff_badge(badge: Badge) -> None:
    if badge.kind != BadgeKind.STAFF_AWARDED or not badge.is_active:
        raise ValidationError({"badge": _("Only active staff-awarded badges can be awarded.")})


def award_badge(*, actor: Member, badge: Badge, member: Member, reason: str) -> BadgeAward:
    """Staff award a staff-awarded badge with a reason; audited. The caller must hold MANAGE_SPACES."""
    check_manage_badges(actor)
    _check_staff_badge(badge)
    reason = _clean_reason(reason)
    if not member.is_active:
        raise ValidationError({"member": _("This member is not active.")})
    with transaction.atomic():
        award, created = BadgeAward.objects.get_or_create(
            badge=badge, member=member, defaults={"awarded_by": actor, "reason": reason}
        )
        if not created:
            raise ValidationError({"member": _("This member already holds this badge.")})
        record_audit(
            actor=actor,
            action="badges.awarded",
            target=badge,
            reason=reason,
            details={"member_id": member.pk},
        )
        transaction.on_commit(partial(notify_badge_earned, award_id=award.pk), robust=True)
    return award


def revoke_badge(*, actor: Member, badge: Badge, member: Member, reason: str) -> None:
    """Staff take back a staff-awarded badge with a reason; audited."""
    check_manage_badges(actor)
    if badge.kind != BadgeKind.STAFF_AWARDED:
        # An automatic badge would be awarded again by the next sweep.
        raise ValidationError({"badge": _("Automatic badges cannot be revoked.")})
    reason = _clean_reason(reason)
    with transaction.atomic():
        deleted, _rows = BadgeAward.objects.filter(badge=badge, member=member).delete()
        if not deleted:
            raise ValidationError({"member": _("This member does not hold this badge.")})
        record_audit(
            actor=actor,
            action="badges.revoked",
            target=badge,
            reason=reason,
            details={"member_id": member.pk},
        )
