"""The rewards catalog (特典): what members can spend points on, and each redemption's life.

Stock and the member's balance only change inside `services.redeem_reward` and the decision
services, under a row lock on the reward; the CHECK constraints are the last line of defence.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RewardKind(models.TextChoices):
    COFFEE_VOUCHER = "coffee_voucher", _("Coffee voucher")
    SERVICE_CREDIT = "service_credit", _("Service credit")
    SWAG = "swag", _("Swag")
    PREMIUM_EVENT_SEAT = "premium_event_seat", _("Premium event seat")
    OTHER = "other", _("Other")


class Reward(models.Model):
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    kind = models.CharField(
        _("kind"), max_length=32, choices=RewardKind.choices, default=RewardKind.OTHER
    )
    cost_points = models.PositiveIntegerField(_("cost in points"))
    # None means unlimited stock.
    stock = models.PositiveIntegerField(_("stock"), null=True, blank=True)
    # None means no limit per member.
    per_member_limit = models.PositiveIntegerField(_("limit per member"), null=True, blank=True)
    requires_approval = models.BooleanField(_("requires approval"), default=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cost_points", "name", "id"]
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        constraints = [
            models.CheckConstraint(condition=Q(cost_points__gt=0), name="reward_cost_positive"),
            models.CheckConstraint(
                condition=Q(stock__isnull=True) | Q(stock__gte=0), name="reward_stock_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(per_member_limit__isnull=True) | Q(per_member_limit__gt=0),
                name="reward_per_member_limit_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_unlimited(self) -> bool:
        return self.stock is None


class RedemptionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", pgettext_lazy("redemption status", "Approved")
    FULFILLED = "fulfilled", _("Fulfilled")
    REJECTED = "rejected", pgettext_lazy("redemption status", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("redemption status", "Cancelled")


# Redemptions in these states hold stock and points; rejected and cancelled ones gave both back.
HOLDING_STATUSES = (
    RedemptionStatus.REQUESTED,
    RedemptionStatus.APPROVED,
    RedemptionStatus.FULFILLED,
)


class Redemption(models.Model):
    reward = models.ForeignKey(Reward, on_delete=models.PROTECT, related_name="redemptions")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="redemptions"
    )
    # The price when redeemed: a later price change never alters a refund.
    cost_points = models.PositiveIntegerField()
    status = models.CharField(
        max_length=16, choices=RedemptionStatus.choices, default=RedemptionStatus.REQUESTED
    )
    # The ledger key of the spend, which a refund names; made from the redemption's
    # idempotency key (kept in core's IdempotencyKey), so a key is one member's.
    spend_key = models.CharField(max_length=160, unique=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(blank=True, max_length=1000)
    fulfilment_note = models.TextField(blank=True, max_length=1000)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(cost_points__gt=0), name="redemption_cost_positive"),
        ]
        indexes = [
            models.Index(fields=["member", "-created_at"], name="redemption_by_member"),
            models.Index(fields=["status", "created_at"], name="redemption_queue"),
            models.Index(fields=["reward", "member"], name="redemption_reward_member"),
        ]

    def __str__(self) -> str:
        return f"{self.reward} for {self.member_id} ({self.status})"
