"""The touch-tier API, for staff who see customer economics: the bands with the accounts in
each tier, changing the bands, setting one account's tier by hand, and the books of business.

Amounts are integers in the currency's minor unit (yen for JPY, cents for USD), as stored.
A caller who may not see economics gets 403 with a reason, never a figure.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Annotated, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam
from pydantic import StringConstraints

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError
from kizuna.core.api_pagination import LimitOffsetPage, PageMeta, Rows
from kizuna.core.api_types import ID_MAX, NoNul
from kizuna.customers.access import access_account
from kizuna.customers.book import BookSummary, book_summary, list_books, summarise_book
from kizuna.customers.models import AccountChange, TierSettings
from kizuna.customers.tier_services import (
    MAX_CAPACITY,
    MAX_THRESHOLD_MINOR,
    REASON_MAX_LENGTH,
    TierBands,
    set_account_tier,
    update_tier_settings,
)
from kizuna.customers.tiers import TierCounts, computed_tier, current_tier_settings, tier_counts
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability

router = Router(tags=["tiers"])

READ = api_auth(ApiKey.Scope.SUCCESS_READ)
WRITE = api_auth(ApiKey.Scope.SUCCESS_WRITE)

TierValue = Literal["high", "low", "tech"]
BasisValue = Literal["arr", "ltv"]
Currency = Annotated[str, StringConstraints(min_length=3, max_length=3), NoNul]
Reason = Annotated[str, StringConstraints(max_length=REASON_MAX_LENGTH), NoNul]
Threshold = Annotated[int, Field(ge=0, le=MAX_THRESHOLD_MINOR)]
Capacity = Annotated[int, Field(ge=1, le=MAX_CAPACITY)]


class TierAccountsOut(Schema):
    high: int = Field(description="Active accounts in high touch.")
    low: int
    tech: int


class TierSettingsIn(Schema):
    basis: BasisValue = Field(description="Measure accounts by ARR or by LTV.")
    currency: Currency = Field(description="ISO 4217 code the thresholds are in, e.g. JPY.")
    high_from_minor: Threshold = Field(description="High touch from this figure (inclusive).")
    low_from_minor: Threshold = Field(description="Low touch from this figure (inclusive).")
    default_lifetime_months: int = Field(
        ge=1, le=600, description="Expected lifetime for a computed LTV when an account has none."
    )
    high_capacity: Capacity = Field(description="High-touch accounts one CSM can look after.")
    low_capacity: Capacity
    tech_capacity: Capacity


class TierSettingsOut(TierSettingsIn):
    currency: str
    accounts: TierAccountsOut = Field(description="Active accounts per tier under these bands.")
    updated_at: datetime


class TierSettingsSavedOut(TierSettingsOut):
    accounts_moved: int = Field(description="Accounts whose stored tier this change moved.")


class TierOverrideIn(Schema):
    tier: TierValue | None = Field(
        description="The tier to set by hand, or null to leave it to the bands again."
    )
    reason: Reason = Field(description="Why; required, kept in the history and audit log.")
    is_strategic: bool | None = Field(
        None, description="Set the strategic flag too (one tier up); omit to leave it."
    )


class AccountTierOut(Schema):
    account_id: int
    touch_tier: TierValue = Field(description="The tier the account has now.")
    computed_tier: TierValue = Field(description="The tier the bands and strategic flag give.")
    tier_override: TierValue | None
    tier_override_reason: str
    is_strategic: bool
    changed: bool = Field(description="False when the account already had all of this.")


class TierLoadOut(Schema):
    tier: TierValue
    count: int = Field(description="Active accounts of this tier in the book.")
    capacity: int
    over_capacity: bool
    arr_minor: int = Field(description="Their ARR, in the bands' currency.")


class BookFiguresOut(Schema):
    tiers: list[TierLoadOut]
    total: int
    arr_minor: int
    renewals_next_90_days: int
    other_currency: int = Field(
        description="Active accounts billed in another currency, counted but not in the ARR."
    )


class BookOut(BookFiguresOut):
    member_id: int
    name: str
    email: str
    staff_role: str


class BooksPageOut(PageMeta):
    items: list[BookOut]
    currency: str
    unowned: BookFiguresOut = Field(description="Active accounts without a CSM owner.")


_STAFF_ONLY = "staff_only"


def _denials() -> dict[str, tuple[str, str]]:
    return {
        _STAFF_ONLY: ("staff_only", _("Touch tiers are for staff only.")),
        Capability.VIEW_CUSTOMER_DATA.value: (
            "staff_only",
            _("Touch tiers are for staff only."),
        ),
        Capability.VIEW_ACCOUNT_ECONOMICS.value: (
            "economics_hidden",
            _(
                "Touch tiers and books of business are customer economics, which your staff "
                "role does not show. An administrator can show them to you on the staff page."
            ),
        ),
        Capability.CONFIGURE_CUSTOMER_SUCCESS.value: (
            "cannot_configure_tiers",
            _("Only administrators and customer success managers change the touch-tier bands."),
        ),
        Capability.MANAGE_ACCOUNTS.value: (
            "cannot_manage_accounts",
            _("Only administrators and customer success managers set an account's tier."),
        ),
    }


@contextmanager
def _reasons_for_refusals() -> Iterator[None]:
    """A refusal from a policy or service, as a 403 that says why."""
    try:
        yield
    except PermissionDenied as denied:
        found = _denials().get(str(denied))
        if found is None:
            raise
        raise ApiError(403, found[0], found[1]) from denied


def _economics_actor(request: HttpRequest) -> Member:
    actor = get_actor(request)
    if not actor.is_staff_member:
        raise PermissionDenied(_STAFF_ONLY)
    check_capability(actor, Capability.VIEW_ACCOUNT_ECONOMICS)
    return actor


def _settings_out(settings: TierSettings, counts: TierCounts) -> TierSettingsOut:
    return TierSettingsOut(
        basis=settings.basis,  # type: ignore[arg-type]
        currency=settings.currency,
        high_from_minor=settings.high_from_minor,
        low_from_minor=settings.low_from_minor,
        default_lifetime_months=settings.default_lifetime_months,
        high_capacity=settings.high_capacity,
        low_capacity=settings.low_capacity,
        tech_capacity=settings.tech_capacity,
        accounts=TierAccountsOut(**counts.as_dict()),
        updated_at=settings.updated_at,
    )


def _figures(book: BookSummary) -> dict[str, object]:
    return {
        "tiers": [
            TierLoadOut(
                tier=load.tier.value,  # type: ignore[arg-type]
                count=load.count,
                capacity=load.capacity,
                over_capacity=load.over_capacity,
                arr_minor=load.arr_minor,
            )
            for load in book.loads
        ],
        "total": book.total,
        "arr_minor": book.arr_minor,
        "renewals_next_90_days": book.renewals_soon,
        "other_currency": book.other_currency,
    }


@router.get(
    "/tiers",
    response={200: TierSettingsOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Get the touch-tier bands and the accounts in each tier",
)
def get_tiers(request: HttpRequest) -> TierSettingsOut:
    with _reasons_for_refusals():
        _economics_actor(request)
    settings = current_tier_settings()
    return _settings_out(settings, tier_counts(settings))


@router.put(
    "/tiers",
    response={200: TierSettingsSavedOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Change the touch-tier bands; every account's tier follows",
)
def put_tiers(request: HttpRequest, payload: TierSettingsIn) -> TierSettingsSavedOut:
    with _reasons_for_refusals():
        actor = _economics_actor(request)
        saved = update_tier_settings(actor=actor, bands=TierBands(**payload.model_dump()))
    out = _settings_out(saved.settings, tier_counts(saved.settings))
    return TierSettingsSavedOut(**out.model_dump(), accounts_moved=saved.accounts_moved)


@router.post(
    "/accounts/{account_id}/tier-override",
    response={200: AccountTierOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Set or clear an account's touch tier by hand, with a reason",
)
def override_account_tier(
    request: HttpRequest,
    payload: TierOverrideIn,
    account_id: int = PathParam(..., ge=1, le=ID_MAX),
) -> AccountTierOut:
    with _reasons_for_refusals():
        actor = _economics_actor(request)
        account = access_account(actor, account_id).account
        result = set_account_tier(
            actor=actor,
            account=account,
            tier_override=payload.tier,
            is_strategic=payload.is_strategic,
            reason=payload.reason,
            source=AccountChange.Source.API,
        )
    saved = result.account
    return AccountTierOut(
        account_id=saved.pk,
        touch_tier=saved.touch_tier,  # type: ignore[arg-type]
        computed_tier=computed_tier(saved, current_tier_settings()).value,  # type: ignore[arg-type]
        tier_override=saved.tier_override or None,  # type: ignore[arg-type]
        tier_override_reason=saved.tier_override_reason,
        is_strategic=saved.is_strategic,
        changed=result.changed,
    )


@router.get(
    "/books",
    response={200: BooksPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List the books of business: each CSM's accounts per tier against capacity",
)
@paginate(LimitOffsetPage)
def list_books_of_business(request: HttpRequest) -> Rows[Member]:
    with _reasons_for_refusals():
        _economics_actor(request)
    settings = current_tier_settings()
    today = timezone.localdate()

    def shape(page: list[Member]) -> list[BookOut]:
        return [
            BookOut(
                member_id=member.pk,
                name=member.name,
                email=member.email,
                staff_role=member.staff_role,
                **_figures(summarise_book(member, settings)),  # type: ignore[arg-type]
            )
            for member in page
        ]

    unowned = BookFiguresOut(**_figures(book_summary(None, settings=settings, today=today)))  # type: ignore[arg-type]
    return Rows(
        list_books(settings=settings, today=today),
        shape,
        extra={"currency": settings.currency, "unowned": unowned},
    )
