"""Adding members to the ambassador programme and retiring them, audited."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.permissions import MANAGE_ROSTER
from kizuna.core.audit import record_audit
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability

NOTE_MAX = 500
REASON_MAX = 1000


def _clean_text(value: str, *, field: str, limit: int) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field: _("Text cannot contain the NUL character.")})
    if len(text) > limit:
        raise ValidationError(
            {field: _("Keep it to %(limit)s characters or fewer.") % {"limit": limit}}
        )
    return text


def find_member_by_email(email: str) -> Member:
    """The active member who signed up with this address, or a ValidationError in words."""
    address = (email or "").strip()
    member = (
        Member.objects.filter(email__iexact=address, is_active=True).first() if address else None
    )
    if member is None:
        raise ValidationError({"email": _("No member has signed up with this email address.")})
    return member


def add_ambassador(*, actor: Member, member: Member, note: str = "") -> Ambassador:
    """Make `member` an active ambassador (again, if they retired); refuse staff and repeats."""
    check_capability(actor, MANAGE_ROSTER)
    note = _clean_text(note, field="note", limit=NOTE_MAX)
    if member.is_staff_member:
        raise ValidationError(
            {"email": _("Staff members cannot join the ambassador programme.")}, code="staff"
        )
    if not member.is_active:
        raise ValidationError({"email": _("This member's account is closed.")}, code="inactive")
    with transaction.atomic():
        ambassador = Ambassador.objects.select_for_update().filter(member=member).first()
        previous = ambassador.status if ambassador else ""
        if ambassador is not None and ambassador.is_active:
            raise ValidationError(
                {"email": _("%(member)s is already an ambassador.") % {"member": member}},
                code="already",
            )
        if ambassador is None:
            ambassador = Ambassador(member=member)
        ambassador.status = Ambassador.Status.ACTIVE
        ambassador.since = timezone.localdate()
        ambassador.added_by = actor
        ambassador.note = note
        ambassador.retired_at = None
        ambassador.retired_reason = ""
        ambassador.save()
        details: dict[str, object] = {"note": note} if note else {}
        if previous:
            details["previous_status"] = previous
        record_audit(actor=actor, action="ambassadors.added", target=member, details=details)
    return ambassador


def retire_ambassador(*, actor: Member, ambassador: Ambassador, reason: str) -> Ambassador:
    """Take an active ambassador off the roster, with the reason why (kept on the row)."""
    check_capability(actor, MANAGE_ROSTER)
    reason = _clean_text(reason, field="reason", limit=REASON_MAX)
    if not reason:
        raise ValidationError(
            {"reason": _("Say why this ambassador is retiring.")}, code="required"
        )
    with transaction.atomic():
        locked = (
            Ambassador.objects.select_for_update().select_related("member").get(pk=ambassador.pk)
        )
        if not locked.is_active:
            raise ValidationError(
                _("%(member)s has already retired from the programme.") % {"member": locked.member},
                code="retired",
            )
        locked.status = Ambassador.Status.RETIRED
        locked.retired_at = timezone.now()
        locked.retired_reason = reason
        locked.save(update_fields=["status", "retired_at", "retired_reason", "updated_at"])
        record_audit(actor=actor, action="ambassadors.retired", target=locked.member, reason=reason)
    return locked
