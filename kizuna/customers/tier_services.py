"""Changing touch tiers: the vendor's bands (and every account's tier with them), and one
account's strategic flag and tier set by hand. The pages and the API both come through here.

Tiers are customer economics: every function here asks for VIEW_ACCOUNT_ECONOMICS besides the
capability of the change itself, so a role that may not see a tier cannot change one either.
"""

from dataclasses import dataclass, fields
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.customers.models import AccountChange, CustomerAccount, TierSettings, TouchTier
from kizuna.customers.money import format_amount
from kizuna.customers.tiers import (
    TierCounts,
    current_tier_settings,
    recompute_tiers,
    tier_counts,
    tier_for,
)
from kizuna.identity.models import Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability

# Larger than any ARR or LTV (10¹⁵ yen); keeps sums far inside a 64-bit integer.
MAX_THRESHOLD_MINOR = 10**15
MAX_CAPACITY = 1_000_000
REASON_MAX_LENGTH = 300


@dataclass(frozen=True)
class TierBands:
    """What staff set on the tier page or send to `PUT /api/tiers`, amounts in minor units."""

    basis: str
    currency: str
    high_from_minor: int
    low_from_minor: int
    default_lifetime_months: int
    high_capacity: int
    low_capacity: int
    tech_capacity: int

    @classmethod
    def of(cls, settings: TierSettings) -> "TierBands":
        return cls(**{field.name: getattr(settings, field.name) for field in fields(cls)})

    def as_settings(self, base: TierSettings | None = None) -> TierSettings:
        """These bands on a copy of `base` (never saved), for previews and the rule."""
        settings = TierSettings(pk=base.pk if base else None)
        for field in fields(self):
            setattr(settings, field.name, getattr(self, field.name))
        return settings


@dataclass(frozen=True)
class TierSettingsSaved:
    settings: TierSettings
    bands_changed: bool
    accounts_moved: int


@dataclass(frozen=True)
class AccountTierSet:
    account: CustomerAccount
    changed_fields: list[str]

    @property
    def changed(self) -> bool:
        return bool(self.changed_fields)


def _check_can_configure(actor: Member) -> None:
    check_capability(actor, Capability.VIEW_ACCOUNT_ECONOMICS)
    check_capability(actor, Capability.CONFIGURE_CUSTOMER_SUCCESS)


def clean_tier_bands(bands: TierBands) -> TierBands:
    """The bands with the currency upper-cased, or a ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    currency = bands.currency.strip().upper()
    if bands.basis not in TierSettings.Basis.values:
        errors["basis"] = _("Choose ARR or LTV.")
    if len(currency) != 3 or not currency.isascii() or not currency.isalpha():
        errors["currency"] = _("Write the currency as a three-letter code such as JPY.")
    for name in ("high_from_minor", "low_from_minor"):
        if getattr(bands, name) > MAX_THRESHOLD_MINOR:
            errors[name] = _("This amount is too large.")
    if bands.low_from_minor < 0:
        errors["low_from_minor"] = _("The low-touch threshold cannot be below zero.")
    if "high_from_minor" not in errors and bands.high_from_minor <= bands.low_from_minor:
        errors["high_from_minor"] = _(
            "The high-touch threshold must be above the low-touch threshold."
        )
    if not 1 <= bands.default_lifetime_months <= 600:
        errors["default_lifetime_months"] = _("Write the lifetime as a number of months, 1 to 600.")
    for name in ("high_capacity", "low_capacity", "tech_capacity"):
        if not 1 <= getattr(bands, name) <= MAX_CAPACITY:
            errors[name] = _("Write how many accounts one CSM can look after, 1 to 1,000,000.")
    if errors:
        raise ValidationError(errors)
    return TierBands(**{**bands.__dict__, "currency": currency})


def preview_tier_bands(*, actor: Member, bands: TierBands) -> TierCounts:
    """Active accounts per tier, and accounts that would move, if these bands were saved."""
    _check_can_configure(actor)
    cleaned = clean_tier_bands(bands)
    return tier_counts(cleaned.as_settings())


def _shown_bands(bands: TierBands) -> dict[str, Any]:
    """The bands as the audit log shows them: amounts with their currency sign."""
    return {
        "basis": bands.basis,
        "currency": bands.currency,
        "high_from": format_amount(bands.high_from_minor, bands.currency),
        "low_from": format_amount(bands.low_from_minor, bands.currency),
        "default_lifetime_months": bands.default_lifetime_months,
        "high_capacity": bands.high_capacity,
        "low_capacity": bands.low_capacity,
        "tech_capacity": bands.tech_capacity,
    }


@transaction.atomic
def update_tier_settings(*, actor: Member, bands: TierBands) -> TierSettingsSaved:
    """Save the bands and bring every account's stored tier in line, in one transaction.

    Each account that moves gets a history row (field touch_tier, source system, by `actor`);
    the change of bands is audited with how many accounts moved. Saving the same bands again
    writes nothing.
    """
    _check_can_configure(actor)
    cleaned = clean_tier_bands(bands)
    # One save at a time: the row lock orders concurrent saves, each recomputing after the last.
    settings = TierSettings.objects.select_for_update().get(pk=current_tier_settings().pk)
    before = TierBands.of(settings)
    bands_changed = before != cleaned
    if bands_changed:
        for field in fields(cleaned):
            setattr(settings, field.name, getattr(cleaned, field.name))
        settings.updated_by = actor
        settings.save()
    moved = recompute_tiers(actor=actor)
    if bands_changed or moved:
        record_audit(
            actor=actor,
            action="tiers.bands_changed",
            target=settings,
            details={
                "before": _shown_bands(before),
                "after": _shown_bands(cleaned),
                "accounts_moved": moved,
            },
        )
    return TierSettingsSaved(settings=settings, bands_changed=bands_changed, accounts_moved=moved)


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@transaction.atomic
def set_account_tier(
    *,
    actor: Member,
    account: CustomerAccount,
    tier_override: str | None,
    reason: str,
    is_strategic: bool | None = None,
    source: str = AccountChange.Source.FORM,
) -> AccountTierSet:
    """Set or clear the tier by hand (None or "" leaves it to the bands), and the strategic flag
    unless `is_strategic` is None; a reason is required. History rows and an audit entry record
    who changed what from what; sending what the account already has changes nothing."""
    check_capability(actor, Capability.VIEW_ACCOUNT_ECONOMICS)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    override = tier_override or ""
    reason = reason.strip()
    errors: dict[str, str] = {}
    if override and override not in TouchTier.values:
        errors["tier_override"] = _(
            "Choose high, low or tech touch, or leave the tier to the bands."
        )
    if not reason:
        errors["reason"] = _(
            "Say why you change this account's tier; it is kept in the history and the audit log."
        )
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("Keep the reason under 300 characters.")
    if errors:
        raise ValidationError(errors)
    locked = CustomerAccount.objects.select_for_update().get(pk=account.pk)
    wanted: dict[str, Any] = {
        "is_strategic": locked.is_strategic if is_strategic is None else is_strategic,
        "tier_override": override,
        "tier_override_reason": reason if override else "",
    }
    before = {name: getattr(locked, name) for name in (*wanted, "touch_tier")}
    changes = [
        AccountChange(field=name, old_value=_shown(before[name]), new_value=_shown(value))
        for name, value in wanted.items()
        if before[name] != value
    ]
    if not changes:
        return AccountTierSet(account=locked, changed_fields=[])
    for name, value in wanted.items():
        setattr(locked, name, value)
    locked.touch_tier = tier_for(locked).value
    if locked.touch_tier != before["touch_tier"]:
        changes.append(
            AccountChange(
                field="touch_tier", old_value=before["touch_tier"], new_value=locked.touch_tier
            )
        )
    locked.save(update_fields=[*wanted, "touch_tier", "updated_at"])
    for change in changes:
        change.account, change.changed_by, change.source = locked, actor, source
    AccountChange.objects.bulk_create(changes)
    audited = ("touch_tier", "tier_override", "is_strategic")
    record_audit(
        actor=actor,
        action="account.tier_set",
        target=locked,
        reason=reason,
        details={
            "before": {name: before[name] for name in audited},
            "after": {name: getattr(locked, name) for name in audited},
        },
    )
    return AccountTierSet(account=locked, changed_fields=[change.field for change in changes])
