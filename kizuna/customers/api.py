"""The customer accounts API, for staff: accounts with their economics, CRM upserts by external
ID, contacts, member links and the custom field definitions.

Economic fields are null for callers who may not see customer economics, and writing them is
refused with 403 `economics_hidden`; every write goes through the services the pages use.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.customers import services
from kizuna.customers.access import access_account
from kizuna.customers.economics import CUSTOM_FIELD_PREFIX, clean_account_values
from kizuna.customers.models import (
    Contact,
    CustomerAccount,
    CustomField,
    CustomFieldValue,
    MemberAccountLink,
)
from kizuna.customers.money import computed_ltv
from kizuna.customers.permissions import can_view_economics
from kizuna.customers.schemas import (
    AccountFieldsIn,
    AccountIn,
    AccountLinkIn,
    AccountLinkOut,
    AccountOut,
    AccountPageOut,
    AccountPatchIn,
    AccountStatusValue,
    AccountUpsertIn,
    ContactIn,
    ContactOut,
    ContactPageOut,
    ContactPatchIn,
    ContactUpsertIn,
    CustomFieldOut,
    CustomFieldPageOut,
    LifecycleValue,
    TierValue,
    UnlinkIn,
)
from kizuna.customers.selectors import (
    AccountFilters,
    custom_fields_by_key,
    custom_value,
    find_account_by_external_id,
    list_accounts,
    list_contacts,
    list_custom_fields,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability

router = Router(tags=["accounts"])

READ = api_auth(ApiKey.Scope.ACCOUNTS_READ)
WRITE = api_auth(ApiKey.Scope.ACCOUNTS_WRITE)
SUCCESS_READ = api_auth(ApiKey.Scope.SUCCESS_READ)

# Fields of AccountFieldsIn that are economics, and those typed already (no cleaning needed).
ECONOMIC_INPUTS = frozenset(
    {
        "currency",
        "arr_minor",
        "mrr_minor",
        "ltv_minor",
        "expected_lifetime_months",
        "is_strategic",
        "custom_fields",
    }
)
TYPED_INPUTS = frozenset(
    {
        "arr_minor",
        "mrr_minor",
        "ltv_minor",
        "expected_lifetime_months",
        "is_strategic",
        "contract_start",
        "renewal_date",
        "lifecycle_stage",
    }
)
TEXT_INPUTS = frozenset(
    {"industry", "region", "employee_band", "salesforce_id", "hubspot_id", "external_id"}
)
# A service's field name → the API's, for error messages.
API_FIELD_NAMES = {"csm_owner": "csm_owner_email"}


def _economics_refused() -> ApiError:
    return ApiError(
        403,
        "economics_hidden",
        _(
            "You may not see customer economics, so you cannot set ARR, MRR, LTV, the currency, "
            "the expected lifetime, the strategic flag or custom fields."
        ),
    )


def _account_values(actor: Member, payload: AccountFieldsIn) -> dict[str, Any]:
    """The typed values of the fields the payload sets, as `services.save_account` takes them.

    Plans by name, owners by email and custom values are cleaned by
    `economics.clean_account_values`, the same rules as the CSV import; its errors are 422s.
    """
    given = payload.model_fields_set & set(AccountFieldsIn.model_fields) | (
        payload.model_fields_set & {"external_id"}
    )
    if given & ECONOMIC_INPUTS and not can_view_economics(actor):
        raise _economics_refused()
    values: dict[str, Any] = {}
    raw: dict[str, str] = {}
    for name in given:
        value = getattr(payload, name)
        if name in TYPED_INPUTS:
            if name == "lifecycle_stage" and value is None:
                continue
            values[name] = value
        elif name in TEXT_INPUTS:
            values[name] = (value or "").strip()
        elif name == "plan":
            raw["plan"] = value or ""
        elif name == "csm_owner_email":
            raw["csm_owner"] = value or ""
        elif name == "currency" and value:
            raw["currency"] = value
        elif name == "custom_fields":
            for key, custom in (value or {}).items():
                raw[CUSTOM_FIELD_PREFIX + key] = "" if custom is None else str(custom)
    if values.get("is_strategic") is None:
        values.pop("is_strategic", None)
    cleaned = clean_account_values(raw)
    if cleaned.errors:
        raise ValidationError(
            {_api_field_name(name): [message] for name, message in cleaned.errors.items()}
        )
    return {**cleaned.values, **values}


def _api_field_name(name: str) -> str:
    if name.startswith(CUSTOM_FIELD_PREFIX):
        return "custom_fields." + name.removeprefix(CUSTOM_FIELD_PREFIX)
    return API_FIELD_NAMES.get(name, name)


def _custom_values_by_account(accounts: list[CustomerAccount]) -> dict[int, dict[str, Any]]:
    fields = custom_fields_by_key()
    found: dict[int, dict[str, Any]] = {account.pk: dict.fromkeys(fields) for account in accounts}
    if not fields:
        return found
    stored = CustomFieldValue.objects.filter(account__in=accounts).select_related("field")
    for value in stored:
        typed: Any = custom_value(value.field, value)
        if isinstance(typed, Decimal):
            # JSON numbers: 250, 2.5
            typed = int(typed) if typed == typed.to_integral_value() else float(typed)
        found[value.account_id][value.field.key] = typed
    return found


def _shape_accounts(actor: Member, accounts: list[CustomerAccount]) -> list[AccountOut]:
    economics = can_view_economics(actor)
    custom = _custom_values_by_account(accounts) if economics and accounts else {}
    lifetime = current_tier_settings().default_lifetime_months if economics else 0
    return [
        _account_out(account, economics, custom.get(account.pk), lifetime) for account in accounts
    ]


def _account_out(
    account: CustomerAccount,
    economics: bool,
    custom: dict[str, Any] | None,
    default_lifetime: int,
) -> AccountOut:
    computed = None
    if economics and account.ltv_minor is None:
        computed = computed_ltv(
            account.arr_minor, account.expected_lifetime_months or default_lifetime
        )
    owner = account.csm_owner
    return AccountOut(
        id=account.pk,
        name=account.name,
        status=account.status,  # type: ignore[arg-type]
        domains=[d.domain for d in account.domains.all()],
        member_count=getattr(account, "member_count", 0),
        created_at=account.created_at,
        updated_at=account.updated_at,
        plan=account.plan.name if account.plan else None,
        lifecycle_stage=account.lifecycle_stage,  # type: ignore[arg-type]
        csm_owner_id=owner.pk if owner else None,
        csm_owner_email=owner.email if owner else None,
        contract_start=account.contract_start,
        renewal_date=account.renewal_date,
        industry=account.industry,
        region=account.region,
        employee_band=account.employee_band,  # type: ignore[arg-type]
        external_id=account.external_id,
        salesforce_id=account.salesforce_id,
        hubspot_id=account.hubspot_id,
        currency=account.currency,
        economics_visible=economics,
        arr_minor=account.arr_minor if economics else None,
        mrr_minor=account.mrr_minor if economics else None,
        ltv_minor=account.ltv_minor if economics else None,
        ltv_computed_minor=computed,
        expected_lifetime_months=account.expected_lifetime_months if economics else None,
        touch_tier=account.touch_tier if economics else None,  # type: ignore[arg-type]
        is_strategic=account.is_strategic if economics else None,
        custom_fields=custom if economics else None,
    )


def _one_account_out(actor: Member, account_id: int) -> AccountOut:
    account = list_accounts().filter(pk=account_id).first()
    if account is None:
        raise Http404
    [shaped] = _shape_accounts(actor, [account])
    return shaped


def _find_member(member_id: int) -> Member:
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


# Accounts ----------------------------------------------------------------------------------


@router.get(
    "/accounts",
    response={200: AccountPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List customer accounts",
)
@paginate(LimitOffsetPage)
def list_customer_accounts(
    request: HttpRequest,
    q: str = QueryParam("", max_length=100),
    status: AccountStatusValue | None = None,
    lifecycle_stage: LifecycleValue | None = None,
    tier: TierValue | None = None,
    owner_id: int | None = QueryParam(None, ge=1, le=ID_MAX),
    plan_id: int | None = QueryParam(None, ge=1, le=ID_MAX),
    renewal_within_days: int | None = QueryParam(None, ge=0, le=3650),
    external_id: str = QueryParam("", max_length=100),
) -> Rows[CustomerAccount]:
    actor = get_actor(request)
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    if tier and not can_view_economics(actor):
        raise _economics_refused()
    filters = AccountFilters(
        query=q.replace("\x00", "").strip(),
        status=status or "",
        tier=tier or "",
        lifecycle_stage=lifecycle_stage or "",
        owner_id=owner_id,
        plan_id=plan_id,
        renewal_within_days=renewal_within_days,
    )
    accounts = list_accounts(filters=filters)
    if external_id:
        accounts = accounts.filter(external_id=external_id.replace("\x00", ""))
    return Rows(accounts, lambda page: _shape_accounts(actor, page))


@router.get(
    "/accounts/{account_id}",
    response={200: AccountOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Get a customer account",
)
def get_customer_account(
    request: HttpRequest, account_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> AccountOut:
    actor = get_actor(request)
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    return _one_account_out(actor, account_id)


@router.post(
    "/accounts",
    response={201: AccountOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Create a customer account",
)
def create_customer_account(request: HttpRequest, payload: AccountIn) -> Status[AccountOut]:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    account = services.save_account(
        actor=actor,
        name=payload.name,
        domains=payload.domains,
        status=payload.status or "",
        values=_account_values(actor, payload),
        source="api",
    )
    return Status(201, _one_account_out(actor, account.pk))


@router.patch(
    "/accounts/{account_id}",
    response={200: AccountOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Update a customer account",
)
def update_customer_account(
    request: HttpRequest, payload: AccountPatchIn, account_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> AccountOut:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    account = access_account(actor, account_id).account
    services.save_account(
        actor=actor,
        account=account,
        name=payload.name if payload.name is not None else account.name,
        domains=payload.domains,
        status=payload.status or "",
        values=_account_values(actor, payload),
        source="api",
    )
    return _one_account_out(actor, account.pk)


@router.put(
    "/accounts/by-external-id/{external_id}",
    response={200: AccountOut, 201: AccountOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Create or update a customer account by its CRM ID",
    description="Idempotent: sending the same record again changes nothing. 201 when the "
    "account was created, 200 when it existed.",
)
def upsert_customer_account(
    request: HttpRequest,
    payload: AccountUpsertIn,
    external_id: str = PathParam(..., min_length=1, max_length=100),
) -> Status[AccountOut]:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    if "\x00" in external_id:
        raise ValidationError({"external_id": _("Text cannot contain the NUL character.")})
    account, created = services.upsert_account_by_external_id(
        actor=actor,
        external_id=external_id,
        name=payload.name,
        domains=payload.domains,
        values=_account_values(actor, payload),
    )
    return Status(201 if created else 200, _one_account_out(actor, account.pk))


@router.post(
    "/accounts/{account_id}/members",
    response={200: AccountLinkOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Link a member to a customer account",
)
def link_member(
    request: HttpRequest, payload: AccountLinkIn, account_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> AccountLinkOut:
    actor = get_actor(request)
    check_capability(actor, Capability.LINK_ACCOUNTS)
    link = services.link_member_to_account(
        actor=actor,
        member=_find_member(payload.member_id),
        account=access_account(actor, account_id).account,
        reason=payload.reason,
    )
    return AccountLinkOut(
        account_id=link.account_id,
        member_id=link.member_id,
        source=link.source,  # type: ignore[arg-type]
        linked_at=link.linked_at,
    )


@router.post(
    "/accounts/{account_id}/members/{member_id}/unlink",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Unlink a member from a customer account",
)
def unlink_member(
    request: HttpRequest,
    payload: UnlinkIn,
    account_id: int = PathParam(..., ge=1, le=ID_MAX),
    member_id: int = PathParam(..., ge=1, le=ID_MAX),
) -> Status[None]:
    actor = get_actor(request)
    check_capability(actor, Capability.LINK_ACCOUNTS)
    link = (
        MemberAccountLink.objects.select_related("member")
        .filter(account_id=account_id, member_id=member_id)
        .first()
    )
    if link is None:
        raise Http404
    services.unlink_member_from_account(actor=actor, member=link.member, reason=payload.reason)
    return Status(204, None)


# Contacts ----------------------------------------------------------------------------------


def _contact_out(contact: Contact) -> ContactOut:
    return ContactOut(
        id=contact.pk,
        account_id=contact.account_id,
        email=contact.email,
        full_name=contact.full_name,
        title=contact.title,
        phone=contact.phone,
        external_id=contact.external_id,
        is_primary=contact.is_primary,
        member_id=contact.member_id,
        created_at=contact.created_at,
        updated_at=contact.updated_at,
    )


def _find_contact(actor: Member, contact_id: int) -> Contact:
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    contact = Contact.objects.select_related("account").filter(pk=contact_id).first()
    if contact is None:
        raise Http404
    return contact


@router.get(
    "/accounts/{account_id}/contacts",
    response={200: ContactPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List a customer account's contacts",
)
@paginate(LimitOffsetPage)
def list_account_contacts(
    request: HttpRequest, account_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> Rows[Contact]:
    account = access_account(get_actor(request), account_id).account
    return Rows(list_contacts(account=account), lambda page: [_contact_out(c) for c in page])


@router.post(
    "/accounts/{account_id}/contacts",
    response={201: ContactOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Add a contact to a customer account",
)
def create_contact(
    request: HttpRequest, payload: ContactIn, account_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> Status[ContactOut]:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    account = access_account(actor, account_id).account
    contact = services.save_contact(actor=actor, account=account, values=payload.model_dump())
    return Status(201, _contact_out(contact))


@router.patch(
    "/contacts/{contact_id}",
    response={200: ContactOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Update a contact",
)
def update_contact(
    request: HttpRequest, payload: ContactPatchIn, contact_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> ContactOut:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    contact = _find_contact(actor, contact_id)
    values = payload.model_dump(exclude_unset=True, exclude={"account_id"})
    account = contact.account
    if payload.account_id is not None:
        account = access_account(actor, payload.account_id).account
    saved = services.save_contact(actor=actor, account=account, contact=contact, values=values)
    return _contact_out(saved)


@router.delete(
    "/contacts/{contact_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Delete a contact",
)
def delete_contact(
    request: HttpRequest, contact_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> Status[None]:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    services.delete_contact(actor=actor, contact=_find_contact(actor, contact_id))
    return Status(204, None)


@router.put(
    "/contacts/by-external-id/{external_id}",
    response={200: ContactOut, 201: ContactOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Create or update a contact by its CRM ID",
    description="Idempotent: sending the same record again changes nothing. 201 when the "
    "contact was created, 200 when it existed.",
)
def upsert_contact(
    request: HttpRequest,
    payload: ContactUpsertIn,
    external_id: str = PathParam(..., min_length=1, max_length=100),
) -> Status[ContactOut]:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_ACCOUNTS)
    if "\x00" in external_id:
        raise ValidationError({"external_id": _("Text cannot contain the NUL character.")})
    account = None
    if payload.account_id is not None:
        account = access_account(actor, payload.account_id).account
    elif payload.account_external_id:
        account = find_account_by_external_id(payload.account_external_id)
        if account is None:
            raise ValidationError({"account_external_id": _("No account has this external ID.")})
    values = payload.model_dump(exclude_unset=True, exclude={"account_id", "account_external_id"})
    contact, created = services.upsert_contact_by_external_id(
        actor=actor, external_id=external_id, account=account, values=values
    )
    return Status(201 if created else 200, _contact_out(contact))


# Custom field definitions ------------------------------------------------------------------


@router.get(
    "/custom-fields",
    response={200: CustomFieldPageOut, **ERROR_RESPONSES},
    auth=SUCCESS_READ,
    summary="List the custom fields of accounts",
    tags=["customer success"],
)
@paginate(LimitOffsetPage)
def list_account_custom_fields(request: HttpRequest) -> Rows[CustomField]:
    actor = get_actor(request)
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    if not can_view_economics(actor):
        raise PermissionDenied(Capability.VIEW_ACCOUNT_ECONOMICS.value)
    return Rows(
        list_custom_fields(),
        lambda page: [
            CustomFieldOut(
                key=field.key,
                label=field.label,
                kind=field.kind,  # type: ignore[arg-type]
                choices=[str(choice) for choice in field.choices],
                help_text=field.help_text,
                position=field.position,
            )
            for field in page
        ],
    )
