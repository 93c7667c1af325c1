"""Evaluating the play rules, working a play (done, snooze, dismiss) and editing a rule.

Every change is checked here (the page, the API and the task behave the same) and audited;
each runs in one transaction with the play or rule row locked, so a repeat or a race changes
nothing twice.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.customers.models import TouchTier
from kizuna.identity.models import Member
from kizuna.plays.kinds import THRESHOLDS, USES_ANY_ACTIVITY
from kizuna.plays.models import LIVE_STATUSES, Play, PlayRule, PlayStatus
from kizuna.plays.permissions import check_can_configure_rules, check_can_work_plays
from kizuna.plays.selectors import due_plays
from kizuna.segments.models import Segment
from kizuna.segments.permissions import segments_visible_to

REASON_MAX = 1000
TITLE_MAX = 200
SNOOZE_MAX_DAYS = 366
COOLDOWN_MAX_DAYS = 3650


# Evaluation ------------------------------------------------------------------------------------


@dataclass
class EvaluationResult:
    opened: int = 0
    closed: int = 0
    woken: int = 0
    by_rule: dict[int, tuple[int, int]] = field(default_factory=dict)


def wake_snoozed_plays(*, today: dt.date) -> int:
    """Snoozed plays whose date has come are open again."""
    return Play.objects.filter(status=PlayStatus.SNOOZED, snoozed_until__lte=today).update(
        status=PlayStatus.OPEN, snoozed_until=None, updated_at=timezone.now()
    )


def _evaluate_rule(rule_id: int, now: dt.datetime) -> tuple[int, int]:
    """(opened, closed) for one rule, in its own transaction with the rule row locked, so two
    evaluations of the same rule (the hourly task and "evaluate now") run one after the other."""
    with transaction.atomic():
        rule = PlayRule.objects.select_for_update().filter(pk=rule_id, enabled=True).first()
        if rule is None:
            return 0, 0
        due = {item.key: item for item in due_plays(rule, now=now)}
        live = list(
            Play.objects.filter(rule=rule, status__in=LIVE_STATUSES).values_list(
                "pk", "account_id", "member_id"
            )
        )
        stale = [pk for pk, account_id, member_id in live if (account_id, member_id) not in due]
        closed = Play.objects.filter(pk__in=stale, status__in=LIVE_STATUSES).update(
            status=PlayStatus.RESOLVED,
            snoozed_until=None,
            closed_at=now,
            closed_by=None,
            updated_at=now,
        )
        waiting = {(account_id, member_id) for _pk, account_id, member_id in live}
        cooling = set(
            Play.objects.filter(
                rule=rule,
                status__in=(PlayStatus.DONE, PlayStatus.DISMISSED),
                closed_at__gt=now - dt.timedelta(days=rule.cooldown_days),
            ).values_list("account_id", "member_id")
        )
        new = [
            Play(
                rule=rule,
                account_id=item.account_id,
                member_id=item.member_id,
                owner_id=item.owner_id,
                params=item.params,
                status=PlayStatus.OPEN,
                opened_at=now,
            )
            for key, item in due.items()
            if key not in waiting and key not in cooling
        ]
        # The unique index on live plays turns a play another evaluation opened meanwhile
        # into a row left out; the plays this run opened are those dated `now`.
        Play.objects.bulk_create(new, ignore_conflicts=True)
        opened = Play.objects.filter(rule=rule, opened_at=now).count() if new else 0
        rule.last_evaluated_at = now
        rule.save(update_fields=["last_evaluated_at"])
    return opened, closed


def evaluate_plays(*, now: dt.datetime | None = None) -> EvaluationResult:
    """Wake snoozed plays whose date has come, then run every enabled rule: open the plays now
    due, and close as resolved the open or snoozed plays whose condition no longer holds.

    Idempotent: a second run with nothing changed opens and closes nothing. Plays of a rule that
    was switched off stay as they are until someone closes them.
    """
    now = now or timezone.now()
    result = EvaluationResult()
    result.woken = wake_snoozed_plays(
        today=timezone.localtime(now, timezone.get_default_timezone()).date()
    )
    rule_ids = PlayRule.objects.filter(enabled=True).order_by("position", "pk")
    for rule_id in rule_ids.values_list("pk", flat=True):
        opened, closed = _evaluate_rule(rule_id, now)
        result.opened += opened
        result.closed += closed
        result.by_rule[rule_id] = (opened, closed)
    return result


def run_evaluation_now(*, actor: Member) -> EvaluationResult:
    """ "Evaluate now" from the rules page: the same evaluation, for those who configure rules."""
    check_can_configure_rules(actor)
    return evaluate_plays()


# Working a play --------------------------------------------------------------------------------


def _clean_text(value: str, *, field_name: str, limit: int) -> str:
    text = (value or "").strip()
    if "\x00" in text:
        raise ValidationError({field_name: _("Text cannot contain the NUL character.")})
    if len(text) > limit:
        raise ValidationError(
            {field_name: _("Keep it to %(limit)s characters or fewer.") % {"limit": limit}}
        )
    return text


def _locked_live_play(play: Play) -> Play:
    locked = (
        Play.objects.select_for_update(of=("self",))
        .select_related("rule", "account", "member", "owner")
        .get(pk=play.pk)
    )
    if not locked.is_live:
        raise ValidationError(
            _("This play is already closed (%(status)s).")
            % {"status": locked.get_status_display()},
            code="closed",
        )
    return locked


def _audit(actor: Member, play: Play, action: str, **details: Any) -> None:
    """Recorded on the account, so its history shows the plays worked on it."""
    record_audit(
        actor=actor,
        action=action,
        target=play.account,
        reason=details.pop("reason", ""),
        details={"play_id": play.pk, "rule": play.rule.display_title, **details},
    )


def mark_play_done(*, actor: Member, play: Play) -> Play:
    check_can_work_plays(actor)
    with transaction.atomic():
        locked = _locked_live_play(play)
        locked.status = PlayStatus.DONE
        locked.snoozed_until = None
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.save(
            update_fields=["status", "snoozed_until", "closed_at", "closed_by", "updated_at"]
        )
        _audit(actor, locked, "plays.done")
    return locked


def snooze_play(*, actor: Member, play: Play, until: dt.date | None) -> Play:
    """Hide the play until `until` (a date after today, within a year); it opens again then."""
    check_can_work_plays(actor)
    today = timezone.localdate()
    if until is None:
        raise ValidationError({"until": _("Choose the date the play should come back.")})
    if until <= today:
        raise ValidationError({"until": _("Choose a date after today.")}, code="past")
    if until > today + dt.timedelta(days=SNOOZE_MAX_DAYS):
        raise ValidationError({"until": _("Snooze a play for a year at most.")}, code="too_far")
    with transaction.atomic():
        locked = _locked_live_play(play)
        locked.status = PlayStatus.SNOOZED
        locked.snoozed_until = until
        locked.save(update_fields=["status", "snoozed_until", "updated_at"])
        _audit(actor, locked, "plays.snoozed", snoozed_until=until.isoformat())
    return locked


def dismiss_play(*, actor: Member, play: Play, reason: str) -> Play:
    """Close the play as not worth doing, with the reason why (required)."""
    check_can_work_plays(actor)
    reason = _clean_text(reason, field_name="reason", limit=REASON_MAX)
    if not reason:
        raise ValidationError({"reason": _("Say why this play is dismissed.")}, code="required")
    with transaction.atomic():
        locked = _locked_live_play(play)
        locked.status = PlayStatus.DISMISSED
        locked.snoozed_until = None
        locked.closed_at = timezone.now()
        locked.closed_by = actor
        locked.dismiss_reason = reason
        locked.save(
            update_fields=[
                "status",
                "snoozed_until",
                "closed_at",
                "closed_by",
                "dismiss_reason",
                "updated_at",
            ]
        )
        _audit(actor, locked, "plays.dismissed", reason=reason)
    return locked


# Editing a rule --------------------------------------------------------------------------------

RULE_FIELDS = (
    "title",
    "tier",
    "enabled",
    "days",
    "window_days",
    "percentage",
    "minimum",
    "any_activity",
    "cooldown_days",
    "segment",
)


def _clean_segment(value: Any, actor: Member) -> Segment | None:
    """A segment (or its id) the actor may see, or a ValidationError; None for every account."""
    if value is None or value == "":
        return None
    pk = value.pk if isinstance(value, Segment) else value
    found = (
        segments_visible_to(actor).filter(pk=pk).first()
        if isinstance(pk, int) and not isinstance(pk, bool)
        else None
    )
    if found is None:
        raise ValidationError({"segment": _("Choose one of the saved segments.")})
    return found


def clean_rule_values(rule: PlayRule, values: dict[str, Any], *, actor: Member) -> dict[str, Any]:
    """The values to write, typed and checked for the rule's kind; a ValidationError per field
    in words. Fields not given keep the rule's values; thresholds the kind does not use are
    refused."""
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    used = {threshold.field: threshold for threshold in THRESHOLDS.get(rule.kind, ())}
    for name, value in values.items():
        if name not in RULE_FIELDS:
            errors[name] = _("This is not a setting of a play rule.")
        elif name == "segment":
            try:
                cleaned[name] = _clean_segment(value, actor)
            except ValidationError as error:
                errors[name] = error.message_dict["segment"][0]
        elif name == "title":
            text = str(value or "").strip()
            if "\x00" in text:
                errors[name] = _("Text cannot contain the NUL character.")
            elif len(text) > TITLE_MAX:
                errors[name] = _("Keep it to %(limit)s characters or fewer.") % {"limit": TITLE_MAX}
            cleaned[name] = text
        elif name == "tier":
            if value not in ("", None, *TouchTier.values):
                errors[name] = _("Choose high, low or tech touch, or leave it empty for any tier.")
            cleaned[name] = value or ""
        elif name in ("enabled", "any_activity"):
            if not isinstance(value, bool):
                errors[name] = _("Answer yes or no.")
            elif name == "any_activity" and value and rule.kind not in USES_ANY_ACTIVITY:
                errors[name] = _("This kind of play does not use this setting.")
            cleaned[name] = value
        elif name == "cooldown_days":
            if (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not (0 <= value <= COOLDOWN_MAX_DAYS)
            ):
                errors[name] = _("Enter a whole number from %(low)s to %(high)s.") % {
                    "low": 0,
                    "high": COOLDOWN_MAX_DAYS,
                }
            cleaned[name] = value
        else:
            threshold = used.get(name)
            if threshold is None:
                if value is not None:
                    errors[name] = _("This kind of play does not use this setting.")
                continue
            if value is None:
                if threshold.required:
                    errors[name] = _("Enter a number.")
                cleaned[name] = None
            elif (
                not isinstance(value, int)
                or isinstance(value, bool)
                or not (threshold.minimum <= value <= threshold.maximum)
            ):
                errors[name] = _("Enter a whole number from %(low)s to %(high)s.") % {
                    "low": threshold.minimum,
                    "high": threshold.maximum,
                }
            else:
                cleaned[name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _audited(value: Any) -> Any:
    """A setting as the audit log keeps it: a segment by its name."""
    return value.name if isinstance(value, Segment) else value


def update_play_rule(*, actor: Member, rule: PlayRule, values: dict[str, Any]) -> PlayRule:
    """Change a rule's title, tier, switch and thresholds; audited with before and after. The
    next evaluation (hourly, or "evaluate now") applies them."""
    check_can_configure_rules(actor)
    cleaned = clean_rule_values(rule, values, actor=actor)
    with transaction.atomic():
        locked = PlayRule.objects.select_for_update().get(pk=rule.pk)
        before = {name: getattr(locked, name) for name in cleaned}
        changed = {name: value for name, value in cleaned.items() if before[name] != value}
        if not changed:
            return locked
        for name, value in changed.items():
            setattr(locked, name, value)
        locked.updated_by = actor
        locked.save(update_fields=[*changed, "updated_by", "updated_at"])
        record_audit(
            actor=actor,
            action="plays.rule_changed",
            target=locked,
            details={
                "before": {name: _audited(before[name]) for name in changed},
                "after": {name: _audited(value) for name, value in changed.items()},
            },
        )
    return locked
