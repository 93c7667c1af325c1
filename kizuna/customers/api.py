"""The customer accounts API, for staff: list, read, create, update, link and unlink members."""

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.customers import services
from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.customers.schemas import (
    AccountIn,
    AccountLinkIn,
    AccountLinkOut,
    AccountOut,
    AccountPageOut,
    AccountPatchIn,
    AccountStatusValue,
    UnlinkIn,
)
from kizuna.customers.selectors import list_accounts
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability

router = Router(tags=["accounts"])

READ = api_auth(ApiKey.Scope.ACCOUNTS_READ)
WRITE = api_auth(ApiKey.Scope.ACCOUNTS_WRITE)


def _account_out(account: CustomerAccount) -> AccountOut:
    return AccountOut(
        id=account.pk,
        name=account.name,
        status=account.status,  # type: ignore[arg-type]
        domains=[d.domain for d in account.domains.all()],
        member_count=getattr(account, "member_count", 0),
        created_at=account.created_at,
    )


def _find_account(account_id: int) -> CustomerAccount:
    account = list_accounts().filter(pk=account_id).first()
    if account is None:
        raise Http404
    return account


def _find_member(member_id: int) -> Member:
    member = Member.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404
    return member


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
) -> Rows[CustomerAccount]:
    check_capability(get_actor(request), Capability.VIEW_CUSTOMER_DATA)
    accounts = list_accounts(query=q.replace("\x00", ""), status=status or "").order_by(
        "name", "pk"
    )
    return Rows(accounts, lambda page: [_account_out(account) for account in page])


@router.get(
    "/accounts/{account_id}",
    response={200: AccountOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Get a customer account",
)
def get_customer_account(
    request: HttpRequest, account_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> AccountOut:
    check_capability(get_actor(request), Capability.VIEW_CUSTOMER_DATA)
    return _account_out(_find_account(account_id))


@router.post(
    "/accounts",
    response={201: AccountOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Create a customer account",
)
def create_customer_account(request: HttpRequest, payload: AccountIn) -> Status[AccountOut]:
    account = services.save_account(
        actor=get_actor(request), name=payload.name, domains=payload.domains, status=payload.status
    )
    return Status(201, _account_out(_find_account(account.pk)))


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
    account = _find_account(account_id)
    services.save_account(
        actor=actor,
        account=account,
        name=payload.name if payload.name is not None else account.name,
        domains=(
            payload.domains
            if payload.domains is not None
            else [d.domain for d in account.domains.all()]
        ),
        status=payload.status or account.status,
    )
    return _account_out(_find_account(account.pk))


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
        account=_find_account(account_id),
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
