"""Reading accounts, contacts, plans, custom fields and an account's history."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from kizuna.customers.economics import CUSTOM_FIELD_PREFIX
from kizuna.customers.models import (
    AccountChange,
    AccountDomain,
    Contact,
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    MemberAccountLink,
    Plan,
)
from kizuna.customers.permissions import HIDDEN_WITHOUT_ECONOMICS
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer


def get_account_for_member(member: Viewer) -> CustomerAccount | None:
    """The account a member is linked to, whatever its status."""
    if isinstance(member, AnonymousUser):
        return None
    link = MemberAccountLink.objects.select_related("account").filter(member_id=member.pk).first()
    return link.account if link else None


def is_customer(member: Viewer) -> bool:
    """A member linked to an active account: the people private spaces are for."""
    if isinstance(member, AnonymousUser):
        return False
    cached = getattr(member, "_kizuna_is_customer", None)
    if cached is None:
        cached = MemberAccountLink.objects.filter(
            member_id=member.pk, account__status=CustomerAccount.Status.ACTIVE
        ).exists()
        # The space policy asks several times per request; remembered on this object only.
        member._kizuna_is_customer = cached  # type: ignore[attr-defined]
    return bool(cached)


class CustomOp(StrEnum):
    EQUALS = "eq"
    AT_LEAST = "gte"
    AT_MOST = "lte"


@dataclass(frozen=True)
class CustomFilter:
    """An account's value of one custom field compared with a typed value."""

    field: CustomField
    op: CustomOp
    value: str | Decimal | dt.date


@dataclass(frozen=True)
class AccountFilters:
    """What the account list, its CSV export and the API filter by; empty values filter nothing.

    `tier` and `custom` are economics: callers pass them only for viewers who may see them.
    """

    query: str = ""
    status: str = ""
    tier: str = ""
    lifecycle_stage: str = ""
    owner_id: int | None = None
    without_owner: bool = False
    plan_id: int | None = None
    renewal_within_days: int | None = None
    custom: CustomFilter | None = None


def _custom_condition(custom: CustomFilter) -> Exists:
    values = CustomFieldValue.objects.filter(account=OuterRef("pk"), field=custom.field)
    kind = custom.field.kind
    if kind == CustomField.Kind.NUMBER:
        column = "number_value"
    elif kind == CustomField.Kind.DATE:
        column = "date_value"
    else:
        # Text and choices compare whole values, ignoring case; order means nothing for them.
        return Exists(values.filter(text_value__iexact=str(custom.value)))
    lookup = {CustomOp.EQUALS: "exact", CustomOp.AT_LEAST: "gte", CustomOp.AT_MOST: "lte"}
    return Exists(values.filter(**{f"{column}__{lookup[custom.op]}": custom.value}))


def list_accounts(
    *,
    query: str = "",
    status: str = "",
    filters: AccountFilters | None = None,
    today: dt.date | None = None,
) -> QuerySet[CustomerAccount]:
    """Accounts with their member count, plan, owner and domains, filtered, by name."""
    filters = filters or AccountFilters(query=query, status=status)
    accounts = (
        CustomerAccount.objects.annotate(member_count=Count("member_links", distinct=True))
        .select_related("plan", "csm_owner")
        .prefetch_related("domains")
    )
    if filters.query:
        matching = AccountDomain.objects.filter(
            account=OuterRef("pk"), domain__icontains=filters.query
        )
        accounts = accounts.filter(Q(name__icontains=filters.query) | Exists(matching))
    if filters.status:
        accounts = accounts.filter(status=filters.status)
    if filters.tier:
        accounts = accounts.filter(touch_tier=filters.tier)
    if filters.lifecycle_stage:
        accounts = accounts.filter(lifecycle_stage=filters.lifecycle_stage)
    if filters.without_owner:
        accounts = accounts.filter(csm_owner__isnull=True)
    elif filters.owner_id is not None:
        accounts = accounts.filter(csm_owner_id=filters.owner_id)
    if filters.plan_id is not None:
        accounts = accounts.filter(plan_id=filters.plan_id)
    if filters.renewal_within_days is not None:
        start = today or timezone.localdate()
        accounts = accounts.filter(
            renewal_date__gte=start,
            renewal_date__lte=start + dt.timedelta(days=filters.renewal_within_days),
        )
    if filters.custom is not None:
        accounts = accounts.filter(_custom_condition(filters.custom))
    return accounts.order_by("name", "pk")


def find_account_by_domain(domain: str) -> CustomerAccount | None:
    return CustomerAccount.objects.filter(domains__domain__iexact=domain.strip().lower()).first()


def get_account(*, pk: int) -> CustomerAccount | None:
    return (
        CustomerAccount.objects.select_related("plan", "csm_owner")
        .prefetch_related("domains")
        .filter(pk=pk)
        .first()
    )


def find_account_by_external_id(external_id: str) -> CustomerAccount | None:
    if not external_id:
        return None
    return CustomerAccount.objects.filter(external_id=external_id).first()


def list_account_members(*, account: CustomerAccount) -> QuerySet[MemberAccountLink]:
    """An account's member links with the member and, for staff links, who linked them."""
    return (
        MemberAccountLink.objects.filter(account=account)
        .select_related("member", "linked_by")
        .order_by("member__display_name", "member__email", "pk")
    )


def count_accounts() -> dict[str, int]:
    counts = dict(
        CustomerAccount.objects.order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {
        "active": counts.get(CustomerAccount.Status.ACTIVE, 0),
        "churned": counts.get(CustomerAccount.Status.CHURNED, 0),
        "linked_members": MemberAccountLink.objects.count(),
    }


def list_contacts(*, account: CustomerAccount) -> QuerySet[Contact]:
    """An account's contacts, the main one first, with the member each has become."""
    return (
        Contact.objects.filter(account=account)
        .select_related("member")
        .order_by("-is_primary", "full_name", "email", "pk")
    )


def get_contact(*, account: CustomerAccount, pk: int) -> Contact | None:
    return Contact.objects.filter(account=account, pk=pk).select_related("member").first()


def find_contact_by_external_id(external_id: str) -> Contact | None:
    if not external_id:
        return None
    return Contact.objects.filter(external_id=external_id).select_related("account").first()


def verified_member_with_email(email: str) -> Member | None:
    """The active member who has verified this address (any of theirs, not only the main one)."""
    return (
        Member.objects.filter(
            is_active=True,
            emailaddress__email__iexact=email.strip(),
            emailaddress__verified=True,
        )
        .order_by("pk")
        .first()
    )


def list_plans() -> QuerySet[Plan]:
    """Plans in their order with how many accounts are on each."""
    return Plan.objects.annotate(account_count=Count("accounts")).order_by("rank", "name", "pk")


def list_custom_fields() -> QuerySet[CustomField]:
    """Custom fields in their order with how many accounts have a value."""
    return CustomField.objects.annotate(value_count=Count("values")).order_by(
        "position", "label", "pk"
    )


def custom_fields_by_key() -> dict[str, CustomField]:
    return {field.key: field for field in CustomField.objects.order_by("position", "label", "pk")}


@dataclass(frozen=True)
class CustomValue:
    field: CustomField
    value: str | Decimal | dt.date | None


def custom_values_of(
    account: CustomerAccount, fields: dict[str, CustomField] | None = None
) -> list[CustomValue]:
    """Every custom field with the account's value (None when it has none), in field order."""
    fields = fields if fields is not None else custom_fields_by_key()
    stored = {value.field_id: value for value in account.custom_values.all()}
    found = []
    for field in fields.values():
        value = stored.get(field.pk)
        found.append(CustomValue(field=field, value=custom_value(field, value)))
    return found


def plain_number(number: Decimal) -> Decimal:
    """120.0000 → 120, 2.5000 → 2.5 (never 1.2E+2, which `normalize` gives)."""
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def custom_value(
    field: CustomField, stored: CustomFieldValue | None
) -> str | Decimal | dt.date | None:
    if stored is None:
        return None
    if field.kind == CustomField.Kind.NUMBER:
        return plain_number(stored.number_value) if stored.number_value is not None else None
    if field.kind == CustomField.Kind.DATE:
        return stored.date_value
    return stored.text_value or None


def account_history(
    *, account: CustomerAccount, include_economics: bool
) -> QuerySet[AccountChange]:
    """An account's changes, latest first; without economics, the economic fields' rows go."""
    changes = AccountChange.objects.filter(account=account).select_related("changed_by")
    if not include_economics:
        changes = changes.exclude(field__in=HIDDEN_WITHOUT_ECONOMICS).exclude(
            field__startswith=CUSTOM_FIELD_PREFIX
        )
    return changes.order_by("-changed_at", "-pk")


def staff_members() -> QuerySet[Member]:
    """Who may own an account: active members with a staff role."""
    return (
        Member.objects.filter(is_active=True)
        .exclude(staff_role="")
        .order_by("display_name", "email")
    )
