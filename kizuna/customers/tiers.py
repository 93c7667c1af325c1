"""Touch tiers (seed 004): bands by ARR or LTV, a step up for strategic accounts, overrides.

The effective tier is stored on each account so segments, plays and books of business filter
on it in SQL; `recompute_tiers` brings every stored tier in line with the bands in one UPDATE
per tier, and `tier_for` is the same rule for one account in Python (tests compare the two).
"""

from django.db.models import Case, F, Q, Value, When
from django.db.models.functions import Coalesce

from kizuna.customers.models import CustomerAccount, TierSettings, TouchTier

_ORDER = [TouchTier.TECH, TouchTier.LOW, TouchTier.HIGH]


def current_tier_settings() -> TierSettings:
    settings = TierSettings.objects.order_by("pk").first()
    if settings is None:
        settings = TierSettings.objects.create()
    return settings


def measured_value(account: CustomerAccount, settings: TierSettings) -> int | None:
    if settings.basis == TierSettings.Basis.ARR:
        return account.arr_minor
    if account.ltv_minor is not None:
        return account.ltv_minor
    if account.arr_minor is None:
        return None
    lifetime = account.expected_lifetime_months or settings.default_lifetime_months
    return account.arr_minor * lifetime // 12


def band_tier(value: int | None, settings: TierSettings) -> TouchTier:
    if value is not None and value >= settings.high_from_minor:
        return TouchTier.HIGH
    if value is not None and value >= settings.low_from_minor:
        return TouchTier.LOW
    return TouchTier.TECH


def tier_for(account: CustomerAccount, settings: TierSettings | None = None) -> TouchTier:
    """The account's tier: its override if staff set one, else its band, one up if strategic."""
    settings = settings or current_tier_settings()
    if account.tier_override:
        return TouchTier(account.tier_override)
    tier = band_tier(measured_value(account, settings), settings)
    if account.is_strategic:
        tier = _ORDER[min(_ORDER.index(tier) + 1, len(_ORDER) - 1)]
    return tier


def _measured_expression(settings: TierSettings):  # type: ignore[no-untyped-def]
    if settings.basis == TierSettings.Basis.ARR:
        return F("arr_minor")
    lifetime = Coalesce(F("expected_lifetime_months"), Value(settings.default_lifetime_months))
    # Integer division as in measured_value: ARR × months // 12.
    return Coalesce(F("ltv_minor"), F("arr_minor") * lifetime / Value(12))


def recompute_tiers(accounts=None) -> int:  # type: ignore[no-untyped-def]
    """Store each account's effective tier; returns how many accounts changed tier."""
    settings = current_tier_settings()
    queryset = accounts if accounts is not None else CustomerAccount.objects.all()
    measured = _measured_expression(settings)
    band = Case(
        When(Q(_measured__gte=settings.high_from_minor), then=Value(TouchTier.HIGH.value)),
        When(Q(_measured__gte=settings.low_from_minor), then=Value(TouchTier.LOW.value)),
        default=Value(TouchTier.TECH.value),
    )
    strategic_band = Case(
        When(Q(_measured__gte=settings.low_from_minor), then=Value(TouchTier.HIGH.value)),
        default=Value(TouchTier.LOW.value),
    )
    effective = Case(
        When(~Q(tier_override=""), then=F("tier_override")),
        When(is_strategic=True, then=strategic_band),
        default=band,
    )
    changed = 0
    annotated = queryset.annotate(_measured=measured, _effective=effective).exclude(
        touch_tier=F("_effective")
    )
    for tier in TouchTier:
        ids = list(annotated.filter(_effective=tier.value).values_list("pk", flat=True))
        if ids:
            changed += CustomerAccount.objects.filter(pk__in=ids).update(touch_tier=tier.value)
    return changed
