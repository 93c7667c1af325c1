"""Every write of the rewards catalog. Order inside each use case: authorize → validate →
lock → write → audit.

Lock order everywhere: the Reward row, then the Redemption row, then (inside the
gamification services) the member's balance row — so two use cases never wait on each other
in opposite orders.
"""

from functools import partial
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.core.idempotency import claim_key, earlier_result, record_result
from kizuna.gamification.services import InsufficientPointsError, refund_points, spend_points
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability
from kizuna.rewards.models import HOLDING_STATUSES, Redemption, RedemptionStatus, Reward
from kizuna.rewards.notices import notify_redemption_decision
from kizuna.rewards.permissions import MANAGE_REWARDS

REWARD_FIELDS = (
    "name",
    "description",
    "kind",
    "cost_points",
    "stock",
    "per_member_limit",
    "requires_approval",
    "is_active",
)


class RewardError(ValidationError):
    """A redemption or decision that cannot happen; `code` says why, the message says it to people.

    Codes: out_of_stock, limit_reached, insufficient_points, inactive, invalid_key,
    not_allowed (wrong state for the action).
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code)


# The idempotency scope of redeeming: a member's key names one redemption of theirs.
REDEMPTION_SCOPE = "rewards.redemption"


def _spend_key(idempotency_key: str) -> str:
    return f"rewards.redemption:{idempotency_key}"


def _refund_key(redemption: Redemption) -> str:
    return f"rewards.refund:{redemption.pk}"


def _invalid_key() -> RewardError:
    return RewardError(_("This request cannot be used again."), code="invalid_key")


def _check_key_is_not_anothers(*, member: Member, idempotency_key: str) -> None:
    # The key also names the spend in the ledger, whose keys are unique across members: another
    # member's key is refused rather than answered with their redemption or charged twice.
    spent = Redemption.objects.filter(spend_key=_spend_key(idempotency_key))
    if spent.exclude(member_id=member.pk).exists():
        raise _invalid_key()


def _redemption(redemption_id: int) -> Redemption:
    return Redemption.objects.select_related("reward").get(pk=redemption_id)


def redeem_reward(*, member: Member, reward: Reward, idempotency_key: str) -> Redemption:
    """Spend the member's points on one unit of `reward`; a replay of the key returns the same
    redemption (`core.idempotency`, scoped to the member)."""
    if not idempotency_key or len(idempotency_key) > 128:
        raise _invalid_key()
    earlier = earlier_result(scope=REDEMPTION_SCOPE, actor_id=member.pk, key=idempotency_key)
    if earlier is not None:
        return _redemption(earlier)
    _check_key_is_not_anothers(member=member, idempotency_key=idempotency_key)
    try:
        with transaction.atomic():
            # Before the reward's lock: a concurrent request with the same key waits here, holding
            # nothing, and gets the first one's redemption once that commits.
            claimed = claim_key(scope=REDEMPTION_SCOPE, actor_id=member.pk, key=idempotency_key)
            if claimed is not None:
                return _redemption(claimed)
            locked = Reward.objects.select_for_update().get(pk=reward.pk)
            _check_can_redeem(member=member, reward=locked)
            redemption = Redemption.objects.create(
                reward=locked,
                member=member,
                cost_points=locked.cost_points,
                status=(
                    RedemptionStatus.REQUESTED
                    if locked.requires_approval
                    else RedemptionStatus.APPROVED
                ),
                spend_key=_spend_key(idempotency_key),
            )
            record_result(
                scope=REDEMPTION_SCOPE,
                actor_id=member.pk,
                key=idempotency_key,
                result_id=redemption.pk,
            )
            try:
                spend_points(
                    member=member,
                    amount=locked.cost_points,
                    idempotency_key=redemption.spend_key,
                    source=redemption,
                    reason=locked.name,
                )
            except InsufficientPointsError as error:
                raise RewardError(" ".join(error.messages), code="insufficient_points") from error
            if locked.stock is not None:
                Reward.objects.filter(pk=locked.pk).update(stock=F("stock") - 1)
            return redemption
    except IntegrityError:
        # Another member's request with the same key took the spend key first.
        _check_key_is_not_anothers(member=member, idempotency_key=idempotency_key)
        raise


def _check_can_redeem(*, member: Member, reward: Reward) -> None:
    """Caller must hold the lock on `reward`."""
    if not reward.is_active:
        raise RewardError(_("This reward is no longer offered."), code="inactive")
    if reward.stock is not None and reward.stock <= 0:
        raise RewardError(_("This reward is out of stock."), code="out_of_stock")
    if reward.per_member_limit is not None:
        held = Redemption.objects.filter(
            reward=reward, member=member, status__in=HOLDING_STATUSES
        ).count()
        if held >= reward.per_member_limit:
            raise RewardError(
                _("You have already redeemed this reward as many times as allowed."),
                code="limit_reached",
            )


def _lock(redemption: Redemption) -> tuple[Reward, Redemption]:
    reward = Reward.objects.select_for_update().get(pk=redemption.reward_id)
    locked = Redemption.objects.select_for_update().select_related("member").get(pk=redemption.pk)
    locked.reward = reward
    return reward, locked


def _give_back(*, reward: Reward, redemption: Redemption, reason: str) -> None:
    """Refund the points and return the unit to stock. Caller holds both locks."""
    refund_points(
        spend_key=redemption.spend_key, idempotency_key=_refund_key(redemption), reason=reason
    )
    if reward.stock is not None:
        Reward.objects.filter(pk=reward.pk).update(stock=F("stock") + 1)


def _notify_member(redemption: Redemption, status: RedemptionStatus) -> None:
    """Tell the member about a staff decision once it is committed (never a rolled-back one)."""
    transaction.on_commit(
        partial(notify_redemption_decision, redemption_id=redemption.pk, status=status),
        robust=True,
    )


def _not_allowed() -> RewardError:
    return RewardError(_("This redemption has already been decided."), code="not_allowed")


def approve_redemption(*, actor: Member, redemption: Redemption) -> Redemption:
    """Staff approve a requested redemption."""
    check_capability(actor, MANAGE_REWARDS)
    with transaction.atomic():
        _reward, locked = _lock(redemption)
        if locked.status != RedemptionStatus.REQUESTED:
            raise _not_allowed()
        locked.status = RedemptionStatus.APPROVED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        record_audit(actor=actor, action="rewards.redemption_approved", target=locked)
        _notify_member(locked, RedemptionStatus.APPROVED)
    return locked


def reject_redemption(*, actor: Member, redemption: Redemption, reason: str) -> Redemption:
    """Staff reject a requested or approved redemption: points refunded, stock restored."""
    check_capability(actor, MANAGE_REWARDS)
    reason = reason.strip()
    if not reason:
        raise RewardError(_("Say why the redemption is rejected."), code="reason_required")
    with transaction.atomic():
        reward, locked = _lock(redemption)
        if locked.status not in (RedemptionStatus.REQUESTED, RedemptionStatus.APPROVED):
            raise _not_allowed()
        _give_back(reward=reward, redemption=locked, reason=f"{reward.name}: {reason}"[:200])
        locked.status = RedemptionStatus.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        record_audit(
            actor=actor, action="rewards.redemption_rejected", target=locked, reason=reason
        )
        _notify_member(locked, RedemptionStatus.REJECTED)
    return locked


def fulfil_redemption(*, actor: Member, redemption: Redemption, note: str = "") -> Redemption:
    """Staff mark an approved redemption as handed over."""
    check_capability(actor, MANAGE_REWARDS)
    with transaction.atomic():
        _reward, locked = _lock(redemption)
        if locked.status != RedemptionStatus.APPROVED:
            raise _not_allowed()
        locked.status = RedemptionStatus.FULFILLED
        locked.fulfilment_note = note.strip()
        locked.fulfilled_at = timezone.now()
        if locked.decided_by_id is None:
            locked.decided_by = actor
            locked.decided_at = locked.fulfilled_at
        locked.save(
            update_fields=["status", "fulfilment_note", "fulfilled_at", "decided_by", "decided_at"]
        )
        record_audit(
            actor=actor,
            action="rewards.redemption_fulfilled",
            target=locked,
            details={"note": locked.fulfilment_note},
        )
        _notify_member(locked, RedemptionStatus.FULFILLED)
    return locked


def cancel_redemption(*, member: Member, redemption: Redemption) -> Redemption:
    """The member withdraws a redemption still waiting for approval: points and stock come back."""
    if redemption.member_id != member.pk:
        raise PermissionDenied
    with transaction.atomic():
        reward, locked = _lock(redemption)
        if locked.status != RedemptionStatus.REQUESTED:
            raise _not_allowed()
        _give_back(reward=reward, redemption=locked, reason=reward.name)
        locked.status = RedemptionStatus.CANCELLED
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_at"])
    return locked


def create_reward(*, actor: Member, **fields: Any) -> Reward:
    """Staff add a reward to the catalog."""
    check_capability(actor, MANAGE_REWARDS)
    with transaction.atomic():
        reward = Reward.objects.create(**{name: fields[name] for name in REWARD_FIELDS})
        record_audit(actor=actor, action="rewards.reward_created", target=reward)
    return reward


def update_reward(*, actor: Member, reward: Reward, **fields: Any) -> Reward:
    """Staff edit a reward; the row is locked so a stock edit never races a redemption."""
    check_capability(actor, MANAGE_REWARDS)
    with transaction.atomic():
        locked = Reward.objects.select_for_update().get(pk=reward.pk)
        changed = {
            name: fields[name]
            for name in REWARD_FIELDS
            if name in fields and getattr(locked, name) != fields[name]
        }
        for name, value in changed.items():
            setattr(locked, name, value)
        if changed:
            locked.save(update_fields=list(changed))
            record_audit(
                actor=actor,
                action="rewards.reward_updated",
                target=locked,
                details={name: str(value) for name, value in changed.items()},
            )
    return locked
