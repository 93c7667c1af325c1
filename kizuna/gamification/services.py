"""Every write to the points ledger.

Each service owns its transaction and first locks the member's `MemberBalance` row
(creating it if needed), so all movements of one member are serialised: balance,
daily caps and idempotency checks are read under that lock. The unique
`idempotency_key` is the last line of defence: the same action never pays twice.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.activity.models import Activity
from kizuna.core.audit import record_audit
from kizuna.gamification.models import (
    EARNING_KINDS,
    EntryKind,
    GamificationCursor,
    LedgerEntry,
    MemberBalance,
    MemberRecognitionSettings,
    PointRule,
)
from kizuna.gamification.notices import notify_level_up
from kizuna.gamification.rules import EARNING_VERBS, BatchSources, plan_awards
from kizuna.gamification.tallies import add_to_tallies
from kizuna.identity.models import Member

# Anti-gaming: likes between the same pair pay in full this many times per window, then nothing.
LIKES_PER_PAIR_IN_WINDOW = 3
LIKE_PAIR_WINDOW = timedelta(days=30)
# The activity sweep leaves the newest activities alone this long (see award_pending_activities).
SWEEP_SETTLE = timedelta(minutes=2)
ACTIVITY_CURSOR = "activity-awards"
SWEEP_BATCH = 500
# How far back the periodic stale-award sweep looks.
STALE_AWARD_WINDOW = timedelta(days=30)


class InsufficientPointsError(ValidationError):
    """The member does not have enough points for a spend; the message can be shown to them."""


class LedgerEntryNotFoundError(ValidationError):
    """A refund names a spend that does not exist."""


@dataclass(frozen=True)
class AwardContext:
    """Optional facts about an award that anti-gaming and per-space leaderboards need."""

    activity_id: int | None = None
    counterparty_id: int | None = None
    space_id: int | None = None


def _lock_balance(member_id: int) -> MemberBalance:
    """Lock (creating if needed) the member's balance row; the caller holds a transaction."""
    MemberBalance.objects.bulk_create([MemberBalance(member_id=member_id)], ignore_conflicts=True)
    return MemberBalance.objects.select_for_update().get(member_id=member_id)


def _append(balance: MemberBalance, entry: LedgerEntry) -> LedgerEntry:
    """Insert the entry and move the cached sums with it; the balance row is locked."""
    entry.save(force_insert=True)
    add_to_tallies(entry)
    balance.balance += entry.amount
    if entry.kind in EARNING_KINDS:
        balance.lifetime_points += entry.amount
        if entry.amount > 0:
            # After commit, so an award that rolls back announces no level.
            transaction.on_commit(
                partial(
                    notify_level_up,
                    member_id=balance.member_id,
                    points_before=balance.lifetime_points - entry.amount,
                    points_after=balance.lifetime_points,
                ),
                robust=True,
            )
    balance.save(update_fields=["balance", "lifetime_points"])
    return entry


def _existing(idempotency_key: str) -> LedgerEntry | None:
    return LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()


def _source_fields(source: models.Model | None) -> tuple[str, int | None]:
    if source is None:
        return "", None
    return source._meta.label_lower, source.pk


def _earned_today(member_id: int, rule: PointRule, when: datetime) -> int:
    day_start = when.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    total = (
        LedgerEntry.objects.filter(
            member_id=member_id,
            rule=rule,
            kind=EntryKind.AWARD,
            created_at__gte=day_start,
            created_at__lt=day_start + timedelta(days=1),
            reversed_by__isnull=True,
        ).aggregate(total=Sum("amount"))["total"]
        or 0
    )
    return int(total)


def _likes_from_pair(member_id: int, counterparty_id: int, when: datetime) -> int:
    return LedgerEntry.objects.filter(
        member_id=member_id,
        counterparty_id=counterparty_id,
        rule__key="like_received",
        kind=EntryKind.AWARD,
        created_at__gt=when - LIKE_PAIR_WINDOW,
        created_at__lte=when,
        reversed_by__isnull=True,
    ).count()


def award_points(
    *,
    member: Member,
    rule_key: str,
    source: models.Model | None,
    idempotency_key: str,
    occurred_at: datetime | None = None,
    context: AwardContext | None = None,
) -> LedgerEntry | None:
    """Pay a rule's points once per key; None when not paid (inactive rule, cap, anti-gaming).

    An existing key returns the entry already written, never a second payment.
    """
    when = occurred_at or timezone.now()
    context = context or AwardContext()
    with transaction.atomic():
        balance = _lock_balance(member.pk)
        existing = _existing(idempotency_key)
        if existing is not None:
            return existing
        rule = PointRule.objects.filter(key=rule_key, is_active=True).first()
        if rule is None or rule.points == 0:
            return None
        if context.counterparty_id is not None:
            if context.counterparty_id == member.pk:
                return None
            if (
                rule_key == "like_received"
                and _likes_from_pair(member.pk, context.counterparty_id, when)
                >= LIKES_PER_PAIR_IN_WINDOW
            ):
                return None
        if (
            rule.daily_cap is not None
            and rule.points > 0
            and _earned_today(member.pk, rule, when) + rule.points > rule.daily_cap
        ):
            return None
        source_type, source_id = _source_fields(source)
        entry = LedgerEntry(
            member_id=member.pk,
            amount=rule.points,
            rule=rule,
            kind=EntryKind.AWARD,
            source_type=source_type,
            source_id=source_id,
            activity_id=context.activity_id,
            counterparty_id=context.counterparty_id,
            space_id=context.space_id,
            idempotency_key=idempotency_key,
            created_at=when,
        )
        return _append(balance, entry)


def reverse_award(*, idempotency_key: str, reason: str) -> LedgerEntry | None:
    """Take back an award (content removed, like withdrawn); idempotent, None if never awarded."""
    award = LedgerEntry.objects.filter(
        idempotency_key=idempotency_key, kind=EntryKind.AWARD
    ).first()
    if award is None:
        return None
    with transaction.atomic():
        balance = _lock_balance(award.member_id)
        earlier = LedgerEntry.objects.filter(reverses=award).first()
        if earlier is not None:
            return earlier
        entry = LedgerEntry(
            member_id=award.member_id,
            amount=-award.amount,
            rule_id=award.rule_id,
            kind=EntryKind.REVERSAL,
            source_type=award.source_type,
            source_id=award.source_id,
            activity_id=award.activity_id,
            counterparty_id=award.counterparty_id,
            space_id=award.space_id,
            idempotency_key=f"reversal:{idempotency_key}",
            reverses=award,
            reason=reason[:200],
            created_at=timezone.now(),
        )
        return _append(balance, entry)


def spend_points(
    *, member: Member, amount: int, idempotency_key: str, source: models.Model, reason: str
) -> LedgerEntry:
    """Debit points for a redemption; raises InsufficientPointsError rather than go negative."""
    if amount <= 0:
        raise ValidationError(_("The amount to spend must be positive."), code="invalid_amount")
    with transaction.atomic():
        balance = _lock_balance(member.pk)
        existing = _existing(idempotency_key)
        if existing is not None:
            if existing.kind != EntryKind.SPEND or existing.member_id != member.pk:
                raise ValidationError(
                    _("This request was already used for something else."), code="key_reused"
                )
            return existing
        if balance.balance < amount:
            raise InsufficientPointsError(
                _("You need %(needed)s points but have %(balance)s.")
                % {"needed": amount, "balance": balance.balance},
                code="insufficient_points",
            )
        source_type, source_id = _source_fields(source)
        entry = LedgerEntry(
            member_id=member.pk,
            amount=-amount,
            kind=EntryKind.SPEND,
            source_type=source_type,
            source_id=source_id,
            idempotency_key=idempotency_key,
            reason=reason[:200],
            created_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                return _append(balance, entry)
        except IntegrityError:
            # Only reachable if the same key was used for another member at the same moment.
            raise ValidationError(
                _("This request was already used for something else."), code="key_reused"
            ) from None


def refund_points(*, spend_key: str, idempotency_key: str, reason: str) -> LedgerEntry:
    """Give back a spend in full (a rejected redemption); idempotent, at most one refund a spend."""
    spend = LedgerEntry.objects.filter(idempotency_key=spend_key, kind=EntryKind.SPEND).first()
    if spend is None:
        raise LedgerEntryNotFoundError(_("There is no spend to refund."), code="spend_not_found")
    with transaction.atomic():
        balance = _lock_balance(spend.member_id)
        earlier = LedgerEntry.objects.filter(reverses=spend).first()
        if earlier is not None:
            return earlier
        existing = _existing(idempotency_key)
        if existing is not None:
            return existing
        entry = LedgerEntry(
            member_id=spend.member_id,
            amount=-spend.amount,
            kind=EntryKind.REFUND,
            source_type=spend.source_type,
            source_id=spend.source_id,
            idempotency_key=idempotency_key,
            reverses=spend,
            reason=reason[:200],
            created_at=timezone.now(),
        )
        return _append(balance, entry)


def adjust_points(
    *, actor: Member, member: Member, amount: int, idempotency_key: str, reason: str
) -> LedgerEntry:
    """A staff correction (positive or negative), audited; idempotent by key."""
    if amount == 0:
        raise ValidationError(_("The adjustment cannot be zero."), code="invalid_amount")
    with transaction.atomic():
        balance = _lock_balance(member.pk)
        existing = _existing(idempotency_key)
        if existing is not None:
            return existing
        entry = _append(
            balance,
            LedgerEntry(
                member_id=member.pk,
                amount=amount,
                kind=EntryKind.ADJUSTMENT,
                idempotency_key=idempotency_key,
                reason=reason[:200],
                created_at=timezone.now(),
            ),
        )
        record_audit(
            actor=actor,
            action="gamification.points_adjusted",
            target=member,
            details={"amount": amount, "reason": reason[:200]},
        )
        return entry


def award_prize(
    *, member: Member, amount: int, source: models.Model, idempotency_key: str, reason: str
) -> LedgerEntry:
    """Pay a prize (a contest win) once per key; an existing key returns the entry already paid.

    A prize has no rule and no activity, so neither the stale-award sweep nor recompute
    (which only look at activity awards) ever takes it back.
    """
    if amount <= 0:
        raise ValidationError(_("A prize must be worth at least one point."), code="invalid_amount")
    with transaction.atomic():
        balance = _lock_balance(member.pk)
        existing = _existing(idempotency_key)
        if existing is not None:
            return existing
        source_type, source_id = _source_fields(source)
        entry = LedgerEntry(
            member_id=member.pk,
            amount=amount,
            kind=EntryKind.AWARD,
            source_type=source_type,
            source_id=source_id,
            idempotency_key=idempotency_key,
            reason=reason[:200],
            created_at=timezone.now(),
        )
        return _append(balance, entry)


# ---------------------------------------------------------------- earning from activity


def award_for_activity(*, activity_id: int) -> list[LedgerEntry]:
    """Pay what one activity earns under the current rules; safe to run any number of times."""
    activity = Activity.objects.filter(pk=activity_id).first()
    if activity is None:
        return []
    paid = []
    for plan in plan_awards(activity):
        entry = award_points(
            member=Member(pk=plan.member_id),
            rule_key=plan.rule_key,
            source=plan.source,
            idempotency_key=plan.idempotency_key,
            occurred_at=plan.occurred_at,
            context=AwardContext(
                activity_id=plan.activity_id,
                counterparty_id=plan.counterparty_id,
                space_id=plan.space_id,
            ),
        )
        if entry is not None:
            paid.append(entry)
    return paid


def award_pending_activities(
    *, batch_size: int = SWEEP_BATCH, settle: timedelta = SWEEP_SETTLE
) -> int:
    """Advance the high-water mark over activities old enough to be committed; returns how many.

    Activities younger than `settle` are left for the next run: a transaction that
    took an id earlier may still be open, and the mark must never pass it. Each award
    commits on its own (no long-held balance locks); the mark only moves forward, so
    two overlapping sweeps at worst consider an activity twice, which pays once.
    """
    cursor, _created = GamificationCursor.objects.get_or_create(name=ACTIVITY_CURSOR)
    activity_ids = list(
        Activity.objects.filter(
            pk__gt=cursor.last_activity_id,
            occurred_at__lte=timezone.now() - settle,
        )
        .order_by("pk")
        .values_list("pk", "verb")[:batch_size]
    )
    for activity_id, verb in activity_ids:
        if verb in EARNING_VERBS:
            award_for_activity(activity_id=activity_id)
    if activity_ids:
        last_id = activity_ids[-1][0]
        GamificationCursor.objects.filter(
            name=ACTIVITY_CURSOR, last_activity_id__lt=last_id
        ).update(last_activity_id=last_id, updated_at=timezone.now())
    return len(activity_ids)


def reverse_stale_awards(
    *, after_entry_id: int = 0, batch_size: int = 500, since: datetime | None = None
) -> int:
    """Reverse activity awards whose source fell (content hidden or deleted, like withdrawn,
    answer no longer accepted); returns the last entry id examined (0 when done).

    The periodic sweep looks at recent awards only (`since`); older removals are settled
    by the recompute command.
    """
    recent = Q(created_at__gte=since) if since is not None else Q()
    awards = list(
        LedgerEntry.objects.filter(
            recent,
            pk__gt=after_entry_id,
            kind=EntryKind.AWARD,
            activity_id__isnull=False,
            reversed_by__isnull=True,
        ).order_by("pk")[:batch_size]
    )
    activities = Activity.objects.in_bulk(
        {award.activity_id for award in awards if award.activity_id}
    )
    for award in awards:
        activity = activities.get(award.activity_id or 0)
        standing = {plan.idempotency_key for plan in plan_awards(activity)} if activity else set()
        if award.idempotency_key not in standing:
            reverse_award(idempotency_key=award.idempotency_key, reason="source removed")
    return awards[-1].pk if len(awards) == batch_size else 0


def award_signed_up(*, member: Member) -> LedgerEntry | None:
    """Points for joining the community; once per member, whoever calls it and how often."""
    return award_points(
        member=member, rule_key="signed_up", source=member, idempotency_key=f"signed_up:{member.pk}"
    )


def award_profile_completed(*, member: Member) -> LedgerEntry | None:
    """Points for a completed profile (photo and bio); once per member, ever."""
    return award_points(
        member=member,
        rule_key="profile_completed",
        source=member,
        idempotency_key=f"profile_completed:{member.pk}",
    )


# ---------------------------------------------------------------- configuration


def update_point_rule(
    *, actor: Member, rule: PointRule, points: int, daily_cap: int | None, is_active: bool
) -> PointRule:
    """Change what a rule pays (staff); audited with the values before and after."""
    with transaction.atomic():
        locked = PointRule.objects.select_for_update().get(pk=rule.pk)
        before = {
            "points": locked.points,
            "daily_cap": locked.daily_cap,
            "is_active": locked.is_active,
        }
        locked.points, locked.daily_cap, locked.is_active = points, daily_cap, is_active
        locked.save(update_fields=["points", "daily_cap", "is_active", "updated_at"])
        record_audit(
            actor=actor,
            action="gamification.point_rule_changed",
            target=locked,
            details={
                "before": before,
                "after": {"points": points, "daily_cap": daily_cap, "is_active": is_active},
            },
        )
    return locked


def set_leaderboard_visibility(*, member: Member, show: bool) -> MemberRecognitionSettings:
    """Opt in to or out of the leaderboards; repeating it changes nothing."""
    settings, _created = MemberRecognitionSettings.objects.update_or_create(
        member_id=member.pk, defaults={"show_on_leaderboards": show}
    )
    return settings


# ---------------------------------------------------------------- recompute


RECOMPUTE_KEY_PREFIX = "recompute:"


@dataclass(frozen=True)
class MemberDifference:
    member_id: int
    current: int
    expected: int

    @property
    def difference(self) -> int:
        return self.expected - self.current


def _earning_activities_in_batches(
    batch_size: int,
) -> Iterator[tuple[Activity, BatchSources]]:
    """Earning activities in id order, each with the sources of its batch loaded together."""
    last_id = 0
    while True:
        batch = list(
            Activity.objects.filter(verb__in=EARNING_VERBS, pk__gt=last_id).order_by("pk")[
                :batch_size
            ]
        )
        if not batch:
            return
        sources = BatchSources(batch)
        for activity in batch:
            yield activity, sources
        last_id = batch[-1].pk


def _expected_activity_points(batch_size: int) -> dict[int, int]:
    """Replay the whole activity history under the current rules, caps and anti-gaming."""
    rules = {rule.key: rule for rule in PointRule.objects.filter(is_active=True)}
    expected: dict[int, int] = defaultdict(int)
    earned_per_day: dict[tuple[int, str, date], int] = defaultdict(int)
    likes_from_pair: dict[tuple[int, int], list[datetime]] = defaultdict(list)
    for activity, sources in _earning_activities_in_batches(batch_size):
        for plan in plan_awards(activity, sources):
            rule = rules.get(plan.rule_key)
            if rule is None or rule.points == 0 or plan.counterparty_id == plan.member_id:
                continue
            when = plan.occurred_at
            if plan.rule_key == "like_received" and plan.counterparty_id is not None:
                pair = likes_from_pair[(plan.member_id, plan.counterparty_id)]
                recent = [moment for moment in pair if when - LIKE_PAIR_WINDOW < moment <= when]
                if len(recent) >= LIKES_PER_PAIR_IN_WINDOW:
                    continue
                pair.append(when)
            day = (plan.member_id, rule.key, when.astimezone(UTC).date())
            if rule.daily_cap is not None and rule.points > 0:
                if earned_per_day[day] + rule.points > rule.daily_cap:
                    continue
                earned_per_day[day] += rule.points
            expected[plan.member_id] += rule.points
    return expected


def _current_activity_points() -> dict[int, int]:
    rows = (
        LedgerEntry.objects.filter(
            Q(activity_id__isnull=False) | Q(idempotency_key__startswith=RECOMPUTE_KEY_PREFIX)
        )
        .values("member_id")
        .annotate(total=Sum("amount"))
        .values_list("member_id", "total")
    )
    return {member_id: int(total or 0) for member_id, total in rows}


def recompute_points(*, dry_run: bool, batch_size: int = 2000) -> list[MemberDifference]:
    """Bring every member's activity points to what the current rules give for the history.

    Deterministic (activities in id order) and idempotent: each difference is written as
    one adjustment whose key names the before and after totals, so a second run finds
    nothing to change. A dry run only reports the differences.
    """
    expected = _expected_activity_points(batch_size)
    current = _current_activity_points()
    differences = [
        MemberDifference(member_id, current.get(member_id, 0), expected.get(member_id, 0))
        for member_id in sorted(set(expected) | set(current))
        if current.get(member_id, 0) != expected.get(member_id, 0)
    ]
    if dry_run:
        return differences
    for item in differences:
        with transaction.atomic():
            balance = _lock_balance(item.member_id)
            key = f"{RECOMPUTE_KEY_PREFIX}{item.member_id}:{item.current}:{item.expected}"
            if _existing(key) is not None:
                continue
            _append(
                balance,
                LedgerEntry(
                    member_id=item.member_id,
                    amount=item.difference,
                    kind=EntryKind.ADJUSTMENT,
                    idempotency_key=key,
                    reason="recompute under current rules",
                    created_at=timezone.now(),
                ),
            )
    return differences
