"""Touch tiers (seed 004): bands by ARR or LTV, a step up for strategic accounts, overrides.

The rule, for an account measured in the bands' currency:

- the measure is its ARR, or its LTV (the CRM's figure if imported, else ARR × expected
  lifetime in months ÷ 12, rounded half up, as `money.computed_ltv` shows it);
- at or above `high_from_minor` it is high touch, at or above `low_from_minor` low touch, else
  tech touch (exactly the threshold is the higher tier; no figure is tech touch);
- a strategic account goes one tier up (high stays high);
- a tier set by hand wins over all of that.

An account billed in another currency than the bands has no measure (its yen are not dollars):
it is tech touch unless strategic or set by hand, and its page says why.

The effective tier is stored on each account so segments, plays and books of business filter
on it in SQL. `tier_for` is the rule for one account in Python; `effective_tier_expression` is
the same rule as one SQL expression, which `recompute_tiers` writes to every account that moved
(with a history row each) and `tier_counts` counts for bands not yet saved. Tests hold the two
to the same answers.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    DateTimeField,
    Field,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Value,
)
from django.db.models.expressions import Case, Combinable, Expression, F, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThanOrEqual
from django.utils import timezone

from kizuna.customers.models import AccountChange, CustomerAccount, TierSettings, TouchTier
from kizuna.customers.money import computed_ltv

# From the lightest touch up: "one tier up" is the next one in this list.
TIER_ORDER: tuple[TouchTier, ...] = (TouchTier.TECH, TouchTier.LOW, TouchTier.HIGH)
# From the heaviest touch down, as books of business and lists show them.
TIERS_HIGH_FIRST: tuple[TouchTier, ...] = (TouchTier.HIGH, TouchTier.LOW, TouchTier.TECH)


def current_tier_settings() -> TierSettings:
    settings = TierSettings.objects.order_by("pk").first()
    if settings is None:
        settings = TierSettings.objects.create()
    return settings


def lifetime_months(account: CustomerAccount, settings: TierSettings) -> int:
    return account.expected_lifetime_months or settings.default_lifetime_months


def is_measured_in_band_currency(account: CustomerAccount, settings: TierSettings) -> bool:
    return account.currency.upper() == settings.currency.upper()


def measured_value(account: CustomerAccount, settings: TierSettings) -> int | None:
    """The figure the bands compare, in minor units; None when there is none to compare."""
    if not is_measured_in_band_currency(account, settings):
        return None
    if settings.basis == TierSettings.Basis.ARR:
        return account.arr_minor
    if account.ltv_minor is not None:
        return account.ltv_minor
    return computed_ltv(account.arr_minor, lifetime_months(account, settings))


def band_tier(value: int | None, settings: TierSettings) -> TouchTier:
    if value is not None and value >= settings.high_from_minor:
        return TouchTier.HIGH
    if value is not None and value >= settings.low_from_minor:
        return TouchTier.LOW
    return TouchTier.TECH


def one_tier_up(tier: TouchTier) -> TouchTier:
    return TIER_ORDER[min(TIER_ORDER.index(tier) + 1, len(TIER_ORDER) - 1)]


def computed_tier(account: CustomerAccount, settings: TierSettings) -> TouchTier:
    """The tier the bands give, one up if strategic: what the account has without an override."""
    tier = band_tier(measured_value(account, settings), settings)
    return one_tier_up(tier) if account.is_strategic else tier


def tier_for(account: CustomerAccount, settings: TierSettings | None = None) -> TouchTier:
    """The account's tier: its override if staff set one, else its band, one up if strategic."""
    settings = settings or current_tier_settings()
    if account.tier_override:
        return TouchTier(account.tier_override)
    return computed_tier(account, settings)


@dataclass(frozen=True)
class TierExplanation:
    """Why an account has its tier, for the page that shows it and lets staff change it."""

    basis: str
    currency: str
    measured: int | None
    other_currency: bool
    ltv_computed: bool
    lifetime_months: int
    high_from_minor: int
    low_from_minor: int
    band: TouchTier
    is_strategic: bool
    computed: TouchTier
    override: TouchTier | None
    effective: TouchTier

    @property
    def raised(self) -> bool:
        return self.computed != self.band


def explain_tier(account: CustomerAccount, settings: TierSettings | None = None) -> TierExplanation:
    settings = settings or current_tier_settings()
    measured = measured_value(account, settings)
    band = band_tier(measured, settings)
    computed = computed_tier(account, settings)
    override = TouchTier(account.tier_override) if account.tier_override else None
    return TierExplanation(
        basis=settings.basis,
        currency=settings.currency,
        measured=measured,
        other_currency=not is_measured_in_band_currency(account, settings),
        ltv_computed=(
            settings.basis == TierSettings.Basis.LTV
            and account.ltv_minor is None
            and measured is not None
        ),
        lifetime_months=lifetime_months(account, settings),
        high_from_minor=settings.high_from_minor,
        low_from_minor=settings.low_from_minor,
        band=band,
        is_strategic=account.is_strategic,
        computed=computed,
        override=override,
        effective=override or computed,
    )


# --- the same rule in SQL --------------------------------------------------------------------


def measured_expression(settings: TierSettings) -> Expression:
    """`measured_value` as SQL: NULL for another currency or no figure."""
    if settings.basis == TierSettings.Basis.ARR:
        figure: Combinable = F("arr_minor")
    else:
        lifetime = Coalesce(
            F("expected_lifetime_months"),
            Value(settings.default_lifetime_months),
            output_field=IntegerField(),
        )
        # ARR × months ÷ 12 rounded half up, in integers: (ARR × months + 6) div 12.
        computed = (F("arr_minor") * lifetime + Value(6)) / Value(12)
        figure = Coalesce(F("ltv_minor"), computed, output_field=BigIntegerField())
    return Case(
        When(currency=settings.currency.upper(), then=figure),
        default=Value(None),
        output_field=BigIntegerField(),
    )


def effective_tier_expression(settings: TierSettings) -> Case:
    """`tier_for` as one SQL CASE over an account's columns, for these (maybe unsaved) bands."""
    measured = measured_expression(settings)
    at_least_high: GreaterThanOrEqual[int] = GreaterThanOrEqual(
        measured, Value(settings.high_from_minor)
    )
    at_least_low: GreaterThanOrEqual[int] = GreaterThanOrEqual(
        measured, Value(settings.low_from_minor)
    )
    band = Case(
        When(at_least_high, then=Value(TouchTier.HIGH.value)),
        When(at_least_low, then=Value(TouchTier.LOW.value)),
        default=Value(TouchTier.TECH.value),
        output_field=CharField(),
    )
    strategic_band = Case(
        When(at_least_low, then=Value(TouchTier.HIGH.value)),
        default=Value(TouchTier.LOW.value),
        output_field=CharField(),
    )
    return Case(
        When(~Q(tier_override=""), then=F("tier_override")),
        When(is_strategic=True, then=strategic_band),
        default=band,
        output_field=CharField(),
    )


@dataclass(frozen=True)
class TierCounts:
    """Active accounts per tier under some bands, and how many accounts those bands would move."""

    high: int
    low: int
    tech: int
    moving: int

    @property
    def total(self) -> int:
        return self.high + self.low + self.tech

    def as_dict(self) -> dict[str, int]:
        return {"high": self.high, "low": self.low, "tech": self.tech}


def tier_counts(settings: TierSettings | None = None) -> TierCounts:
    """One aggregate query: active accounts in each tier under `settings` (saved or not), and
    accounts of any status whose stored tier those bands would change."""
    settings = settings or current_tier_settings()
    active = Q(status=CustomerAccount.Status.ACTIVE)
    tier = effective_tier_expression(settings)

    def active_in(value: TouchTier) -> Q:
        return active & Q(Exact(tier, Value(value.value)))

    counted: Mapping[str, Any] = CustomerAccount.objects.order_by().aggregate(
        high=Count("pk", filter=active_in(TouchTier.HIGH)),
        low=Count("pk", filter=active_in(TouchTier.LOW)),
        tech=Count("pk", filter=active_in(TouchTier.TECH)),
        moving=Count("pk", filter=~Q(Exact(F("touch_tier"), tier))),
    )
    return TierCounts(
        high=counted["high"], low=counted["low"], tech=counted["tech"], moving=counted["moving"]
    )


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return field.column


def recompute_tiers(
    accounts: QuerySet[CustomerAccount] | None = None,
    *,
    actor: Any = None,
    source: str = AccountChange.Source.SYSTEM,
) -> int:
    """Store each account's effective tier under the saved bands; returns how many moved.

    Two statements and no rows through Python: an INSERT … SELECT writes a history row
    (field ``touch_tier``, old → new) for every account whose stored tier differs, then one
    UPDATE stores the new tiers. On PostgreSQL the SELECT locks the rows it moves, so the
    UPDATE moves the same ones.
    """
    settings = current_tier_settings()
    scope = CustomerAccount.objects.all()
    if accounts is not None:
        scope = scope.filter(pk__in=accounts.order_by().values("pk"))
    effective = effective_tier_expression(settings)
    moving = scope.order_by().filter(~Q(touch_tier=effective))
    columns = {
        "account": F("pk"),
        "field": Value("touch_tier", output_field=CharField()),
        "old_value": F("touch_tier"),
        "new_value": effective,
        "changed_by": Value(getattr(actor, "pk", None), output_field=IntegerField()),
        "source": Value(str(source), output_field=CharField()),
        "changed_at": Value(timezone.now(), output_field=DateTimeField()),
    }
    aliases = {f"_history_{name}": expression for name, expression in columns.items()}
    rows = moving.select_for_update(of=("self",)).annotate(**aliases).values_list(*aliases)
    quote = connection.ops.quote_name
    target = ", ".join(quote(_column(AccountChange, name)) for name in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        # Compiled inside the transaction: SELECT … FOR UPDATE needs one.
        select_sql, params = rows.query.sql_with_params()
        cursor.execute(
            f"INSERT INTO {quote(AccountChange._meta.db_table)} ({target}) {select_sql}",
            params,
        )
        return moving.update(touch_tier=effective)
