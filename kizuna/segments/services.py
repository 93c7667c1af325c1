"""Writing segments and using them: create, update, delete, export, invite to an event.

Permissions are checked here, so the pages and the API behave the same: MANAGE_SEGMENTS to
write, and VIEW_ACCOUNT_ECONOMICS for anything that touches a condition on customer economics
(a staff member without it gets a 403 for trying, and never sees such a segment).
"""

from dataclasses import dataclass
from functools import partial
from typing import Any

import tablib  # type: ignore[import-untyped]
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.customers.money import to_major
from kizuna.events.access import EventAccess
from kizuna.events.followup_models import EventInvitation
from kizuna.events.invitations import MAX_INVITATIONS_PER_SEND, send_event_invitation
from kizuna.events.models import EventStatus, Registration
from kizuna.events.permissions import can_view_event
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, check_capability
from kizuna.identity.roles import Capability
from kizuna.segments.access import SegmentAccess
from kizuna.segments.definitions import (
    ECONOMICS_REQUIRED,
    Catalogue,
    Condition,
    clean_conditions,
    is_economic,
    uses_economics,
)
from kizuna.segments.models import Match, Segment, Target
from kizuna.segments.permissions import sees_economics
from kizuna.segments.selectors import (
    account_rows,
    accounts_in,
    matching,
    member_rows,
    members_in,
)
from kizuna.spaces.permissions import get_space_access

NAME_MAX = 120
DESCRIPTION_MAX = 1000
EXPORT_CHUNK = 2000


def catalogue_for(viewer: Viewer) -> Catalogue:
    return Catalogue(economics=sees_economics(viewer))


def _refuse_economics_without_permission(actor: Viewer, raw_conditions: Any) -> None:
    """A condition on economics from someone who may not see economics is refused outright
    (403), not merely reported as invalid: the field does not exist for them."""
    if sees_economics(actor) or not isinstance(raw_conditions, list | tuple):
        return
    for item in raw_conditions:
        key = str(item.get("field") or "") if isinstance(item, dict) else ""
        if key and is_economic(Condition(field=key, op="")):
            raise PermissionDenied(str(ECONOMICS_REQUIRED))


@dataclass(frozen=True)
class SegmentValues:
    name: str
    description: str
    target: str
    match: str
    conditions: list[Condition]


def clean_segment(
    actor: Viewer,
    *,
    name: Any,
    description: Any,
    target: Any,
    match: Any,
    conditions: Any,
) -> SegmentValues:
    """The segment's fields checked, or one ValidationError with a message per bad field."""
    _refuse_economics_without_permission(actor, conditions)
    errors: dict[str, list[str]] = {}
    name_text = str(name or "").strip()
    description_text = str(description or "").strip()
    if not name_text:
        errors["name"] = [_("Give the segment a name.")]
    elif len(name_text) > NAME_MAX:
        errors["name"] = [_("Keep the name under %(max)s characters.") % {"max": NAME_MAX}]
    if len(description_text) > DESCRIPTION_MAX:
        errors["description"] = [
            _("Keep the description under %(max)s characters.") % {"max": DESCRIPTION_MAX}
        ]
    if "\x00" in name_text or "\x00" in description_text:
        errors.setdefault("name", []).append(_("Text cannot contain the NUL character."))
    if target not in Target.values:
        errors["target"] = [_("Choose whether the segment lists members or customer accounts.")]
    if match not in Match.values:
        errors["match"] = [_("Choose whether every condition or any one of them must hold.")]
    cleaned: list[Condition] = []
    if "target" not in errors:
        try:
            cleaned = clean_conditions(
                conditions, target=str(target), catalogue=catalogue_for(actor)
            )
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if not cleaned:
                errors["conditions"] = [_("Add at least one condition.")]
    if errors:
        raise ValidationError(errors)
    return SegmentValues(
        name=name_text,
        description=description_text,
        target=str(target),
        match=str(match),
        conditions=cleaned,
    )


def create_segment(actor: Member, values: SegmentValues) -> Segment:
    check_capability(actor, Capability.MANAGE_SEGMENTS)
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    with transaction.atomic():
        segment = Segment.objects.create(
            name=values.name,
            description=values.description,
            target=values.target,
            match=values.match,
            conditions=[condition.as_json() for condition in values.conditions],
            uses_economics=uses_economics(values.conditions),
            created_by=actor,
            updated_by=actor,
        )
        record_audit(
            actor=actor,
            action="segments.created",
            target=segment,
            details={"conditions": len(values.conditions)},
        )
    return segment


def update_segment(actor: Member, access: SegmentAccess, values: SegmentValues) -> Segment:
    if not access.can_manage:
        raise PermissionDenied(Capability.MANAGE_SEGMENTS.value)
    with transaction.atomic():
        segment = Segment.objects.select_for_update().get(pk=access.segment.pk)
        before = {"name": segment.name, "conditions": len(segment.conditions)}
        segment.name = values.name
        segment.description = values.description
        segment.target = values.target
        segment.match = values.match
        segment.conditions = [condition.as_json() for condition in values.conditions]
        segment.uses_economics = uses_economics(values.conditions)
        segment.updated_by = actor
        segment.save()
        record_audit(
            actor=actor,
            action="segments.updated",
            target=segment,
            details={
                "before": before,
                "after": {"name": segment.name, "conditions": len(values.conditions)},
            },
        )
    return segment


def delete_segment(actor: Member, access: SegmentAccess) -> None:
    if not access.can_manage:
        raise PermissionDenied(Capability.MANAGE_SEGMENTS.value)
    with transaction.atomic():
        segment = access.segment
        record_audit(
            actor=actor,
            action="segments.deleted",
            target=segment,
            details={"conditions": len(segment.conditions)},
        )
        Segment.objects.filter(pk=segment.pk).delete()


# ------------------------------------------------------------------ CSV export

# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def _money(minor: int | None, currency: str) -> str:
    return "" if minor is None else format(to_major(minor, currency), "f")


def _level(member: Any) -> str:
    if member.level_name_ja is None:
        return ""
    japanese = (get_language() or "ja").startswith("ja")
    return str(member.level_name_ja if japanese else member.level_name_en)


def _member_dataset(access: SegmentAccess) -> tablib.Dataset:
    economics = access.sees_economics
    headers = [
        _("Name"),
        _("Email"),
        _("Company"),
        _("Lifecycle stage"),
        _("Level"),
        _("Points"),
        pgettext("date column", "Joined"),
    ]
    if economics:
        headers += [_("Touch tier"), _("ARR"), _("Currency")]
    dataset = tablib.Dataset(headers=headers)
    for member in member_rows(members_in(access.segment)).iterator(chunk_size=EXPORT_CHUNK):
        link = getattr(member, "account_link", None)
        account = link.account if link is not None else None
        row = [
            _cell(member.name),
            _cell(member.email),
            _cell(account.name if account else ""),
            _cell(account.get_lifecycle_stage_display() if account else ""),
            _cell(_level(member)),
            member.points,  # type: ignore[attr-defined]
            timezone.localtime(member.date_joined).date().isoformat(),
        ]
        if economics:
            row += [
                _cell(account.get_touch_tier_display() if account else ""),
                _money(account.arr_minor, account.currency) if account else "",
                account.currency if account else "",
            ]
        dataset.append(row)
    return dataset


def _account_dataset(access: SegmentAccess) -> tablib.Dataset:
    economics = access.sees_economics
    headers = [
        _("Company"),
        _("Status"),
        _("Plan"),
        _("Lifecycle stage"),
        _("CSM owner"),
        _("Industry"),
        _("Region"),
        _("Employees"),
        _("Renewal date"),
        _("Members"),
    ]
    if economics:
        headers += [_("Touch tier"), _("ARR"), _("MRR"), _("LTV"), _("Currency")]
    dataset = tablib.Dataset(headers=headers)
    for account in account_rows(accounts_in(access.segment)).iterator(chunk_size=EXPORT_CHUNK):
        row = [
            _cell(account.name),
            _cell(account.get_status_display()),
            _cell(account.plan.name if account.plan else ""),
            _cell(account.get_lifecycle_stage_display()),
            _cell(str(account.csm_owner) if account.csm_owner else ""),
            _cell(account.industry),
            _cell(account.region),
            _cell(account.get_employee_band_display()),
            account.renewal_date.isoformat() if account.renewal_date else "",
            account.member_count,  # type: ignore[attr-defined]
        ]
        if economics:
            row += [
                _cell(account.get_touch_tier_display()),
                _money(account.arr_minor, account.currency),
                _money(account.mrr_minor, account.currency),
                _money(account.ltv_minor, account.currency),
                account.currency,
            ]
        dataset.append(row)
    return dataset


def export_segment(actor: Member, access: SegmentAccess) -> str:
    """The segment as CSV text with a BOM (Excel in Japan reads UTF-8 only with it); the
    economic columns only for staff who may see economics. Audited."""
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    if access.segment.target == Target.ACCOUNTS:
        dataset = _account_dataset(access)
    else:
        dataset = _member_dataset(access)
    record_audit(
        actor=actor,
        action="segments.exported",
        target=access.segment,
        details={"rows": dataset.height, "with_economics": access.sees_economics},
    )
    return "\ufeff" + str(dataset.export("csv"))


# ------------------------------------------------------------------ inviting to an event


@dataclass(frozen=True)
class InviteReport:
    invited: int
    already: int
    no_access: int
    remaining: int


def invite_to_event(
    actor: Member, access: SegmentAccess, event_access: EventAccess
) -> InviteReport:
    """Invite the segment's members to an event, as the event's own invitations do (one
    EventInvitation each, its email queued on commit and sent once by the events app).

    Only members who may see the event are invited; members invited or registered already
    are counted, not invited again, so sending twice invites nobody twice. One send invites at
    most MAX_INVITATIONS_PER_SEND; `remaining` says how many are left for the next send.
    """
    if not access.can_manage:
        raise PermissionDenied(Capability.MANAGE_SEGMENTS.value)
    if not event_access.can_manage or not event_access.is_for(actor, event_access.event):
        raise PermissionDenied("invite_to_event")
    event = event_access.event
    if event.status != EventStatus.PUBLISHED or event.ends_at <= timezone.now():
        raise ValidationError(
            _("Invitations go out only for published events that have not ended."),
            code="not_open",
        )
    members = members_in(access.segment)
    taken = Q(Exists(EventInvitation.objects.filter(event=event, member_id=OuterRef("pk")))) | Q(
        Exists(Registration.objects.filter(event=event, member_id=OuterRef("pk")))
    )
    already = members.filter(taken).count()
    invitees: list[Member] = []
    no_access = checked = 0
    candidates = members.exclude(taken).order_by("pk")
    total = candidates.count()
    for member in candidates.iterator(chunk_size=500):
        if len(invitees) >= MAX_INVITATIONS_PER_SEND:
            break
        checked += 1
        if can_view_event(member, event, get_space_access(member, event.space)):
            invitees.append(member)
        else:
            no_access += 1
    with transaction.atomic():
        EventInvitation.objects.bulk_create(
            [EventInvitation(event=event, member=member, invited_by=actor) for member in invitees],
            ignore_conflicts=True,
        )
        created = list(
            EventInvitation.objects.filter(
                event=event, member__in=invitees, invited_by=actor, emailed_at__isnull=True
            )
        )
        record_audit(
            actor=actor,
            action="segments.members_invited",
            target=access.segment,
            details={
                "event": event.title,
                "invited": len(created),
                "already_invited": already,
                "no_access": no_access,
            },
        )
        for invitation in created:
            transaction.on_commit(partial(send_event_invitation.delay, invitation.pk), robust=True)
    return InviteReport(
        invited=len(created), already=already, no_access=no_access, remaining=total - checked
    )


def preview_count(actor: Viewer, *, target: Any, match: Any, conditions: Any) -> int:
    """How many an unsaved definition matches now (the editor's live count, and the API's)."""
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    check_capability(actor, Capability.MANAGE_SEGMENTS)
    _refuse_economics_without_permission(actor, conditions)
    if target not in Target.values or match not in Match.values:
        raise ValidationError(_("Choose a target and a match for the segment."))
    cleaned = clean_conditions(conditions, target=str(target), catalogue=catalogue_for(actor))
    return matching(str(target), str(match), cleaned).count()
