"""Books of business: each CSM's active accounts per touch tier against the tier's capacity,
their ARR, the renewals coming up, and the accounts nobody owns.

Every figure is a SQL aggregate (one query per page of CSMs, one for a summary); nothing walks
accounts in Python. ARR is summed over accounts billed in the bands' currency only (yen and
dollars do not add up); how many are billed otherwise is counted beside it.
"""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from kizuna.customers.models import CustomerAccount, TierSettings, TouchTier
from kizuna.customers.tiers import TIERS_HIGH_FIRST, current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.roles import StaffRole

RENEWAL_WINDOW_DAYS = 90


@dataclass(frozen=True)
class TierLoad:
    tier: TouchTier
    count: int
    capacity: int
    arr_minor: int

    @property
    def over_capacity(self) -> bool:
        return self.count > self.capacity

    @property
    def over_by(self) -> int:
        return max(self.count - self.capacity, 0)

    @property
    def percent_of_capacity(self) -> int:
        return round(self.count * 100 / self.capacity) if self.capacity else 0


@dataclass(frozen=True)
class BookSummary:
    """One book (a CSM's, or the unowned accounts) in figures."""

    owner: Member | None
    loads: list[TierLoad]
    renewals_soon: int
    other_currency: int
    currency: str

    @property
    def total(self) -> int:
        return sum(load.count for load in self.loads)

    @property
    def arr_minor(self) -> int:
        return sum(load.arr_minor for load in self.loads)

    @property
    def over_capacity(self) -> bool:
        return any(load.over_capacity for load in self.loads)

    def load(self, tier: TouchTier) -> TierLoad:
        return next(load for load in self.loads if load.tier == tier)


def renewal_window(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    start = today or timezone.localdate()
    return start, start + dt.timedelta(days=RENEWAL_WINDOW_DAYS)


def _capacity(settings: TierSettings, tier: TouchTier) -> int:
    capacity: int = getattr(settings, f"{tier.value}_capacity")
    return capacity


def _book_aggregates(prefix: str, settings: TierSettings, today: dt.date) -> dict[str, Any]:
    """Count and Sum expressions over active accounts reached through `prefix` ("" for accounts
    themselves, "owned_accounts__" from a member)."""
    active = Q(**{f"{prefix}status": CustomerAccount.Status.ACTIVE})
    in_currency = Q(**{f"{prefix}currency": settings.currency})
    start, end = renewal_window(today)
    pk = f"{prefix}pk" if prefix else "pk"
    aggregates: dict[str, Any] = {
        "renewals_soon": Count(
            pk, filter=active & Q(**{f"{prefix}renewal_date__range": (start, end)})
        ),
        "other_currency": Count(pk, filter=active & ~in_currency),
        "active_total": Count(pk, filter=active),
    }
    for tier in TouchTier:
        in_tier = active & Q(**{f"{prefix}touch_tier": tier.value})
        aggregates[f"{tier.value}_count"] = Count(pk, filter=in_tier)
        aggregates[f"{tier.value}_arr"] = Sum(f"{prefix}arr_minor", filter=in_tier & in_currency)
    return aggregates


def _summary(
    row: Mapping[str, Any] | Any, owner: Member | None, settings: TierSettings
) -> BookSummary:
    def value(name: str) -> Any:
        return row[name] if isinstance(row, Mapping) else getattr(row, name)

    return BookSummary(
        owner=owner,
        loads=[
            TierLoad(
                tier=tier,
                count=value(f"{tier.value}_count"),
                capacity=_capacity(settings, tier),
                arr_minor=value(f"{tier.value}_arr") or 0,
            )
            for tier in TIERS_HIGH_FIRST
        ],
        renewals_soon=value("renewals_soon"),
        other_currency=value("other_currency"),
        currency=settings.currency,
    )


def list_books(
    *, settings: TierSettings | None = None, today: dt.date | None = None
) -> QuerySet[Member]:
    """CSMs with their book's figures annotated: every active CSM, and anyone else (an
    administrator, a former CSM) who owns active accounts. Page it, then `summarise_book`."""
    settings = settings or current_tier_settings()
    aggregates = _book_aggregates("owned_accounts__", settings, today or timezone.localdate())
    return (
        Member.objects.annotate(**aggregates)
        .filter(Q(staff_role=StaffRole.CSM, is_active=True) | Q(active_total__gt=0))
        .order_by("display_name", "email", "pk")
    )


def summarise_book(member: Member, settings: TierSettings) -> BookSummary:
    """The figures `list_books` annotated on `member`, as a summary."""
    return _summary(member, member, settings)


def book_summary(
    owner: Member | None, *, settings: TierSettings | None = None, today: dt.date | None = None
) -> BookSummary:
    """One owner's book, or the unowned accounts' when `owner` is None: one aggregate query."""
    settings = settings or current_tier_settings()
    accounts = CustomerAccount.objects.order_by()
    accounts = (
        accounts.filter(csm_owner__isnull=True)
        if owner is None
        else accounts.filter(csm_owner=owner)
    )
    row = accounts.aggregate(**_book_aggregates("", settings, today or timezone.localdate()))
    return _summary(row, owner, settings)


_TIER_RANK = Case(
    *(When(touch_tier=tier.value, then=Value(rank)) for rank, tier in enumerate(TIERS_HIGH_FIRST)),
    default=Value(len(TIERS_HIGH_FIRST)),
    output_field=IntegerField(),
)


def owner_accounts(owner: Member | None) -> QuerySet[CustomerAccount]:
    """An owner's active accounts (the unowned ones for None), high touch first, then by the
    nearest renewal: page it and group the page by tier."""
    accounts = CustomerAccount.objects.filter(status=CustomerAccount.Status.ACTIVE)
    accounts = (
        accounts.filter(csm_owner__isnull=True)
        if owner is None
        else accounts.filter(csm_owner=owner)
    )
    return (
        accounts.select_related("plan")
        .alias(tier_rank=_TIER_RANK)
        .order_by("tier_rank", "renewal_date", "name", "pk")
    )


def book_owner(pk: int) -> Member | None:
    """The member whose book `customers:book-of` shows: a staff member or anyone who owns an
    account; None for anyone else (the page is then not found)."""
    return (
        Member.objects.filter(pk=pk)
        .filter(Q(staff_role__gt="") | Q(owned_accounts__isnull=False))
        .distinct()
        .first()
    )
