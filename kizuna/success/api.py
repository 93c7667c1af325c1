"""The Customer 360 API (success:read): an account's figures and the accounts with expansion
signals. Staff who do not see customer economics get the figures without the plays and no
expansion signals at all."""

from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam

from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, PageParams, Window
from kizuna.core.api_types import ID_MAX
from kizuna.customers.access import access_account
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability
from kizuna.success.schemas import (
    AccountSummaryOut,
    SignalAccountOut,
    SignalAccountPageOut,
    SignalAccountRefOut,
    WeekOut,
)
from kizuna.success.selectors import (
    SignalAccountRow,
    account_figures,
    accounts_with_signals,
    count_signal_accounts,
    open_play_count,
    weekly_activity,
)

router = Router(tags=["success"])

READ = api_auth(ApiKey.Scope.SUCCESS_READ)


@router.get(
    "/accounts/{account_id}/summary",
    response={200: AccountSummaryOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Get the Customer 360 figures of an account",
)
def account_summary(
    request: HttpRequest, account_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> AccountSummaryOut:
    access = access_account(get_actor(request), account_id)
    figures = account_figures(access.account)
    return AccountSummaryOut(
        account_id=access.account.pk,
        name=access.account.name,
        members=figures.members,
        active_members_30_days=figures.active_30_days,
        active_members_90_days=figures.active_90_days,
        questions=figures.questions,
        answers=figures.answers,
        case_studies=figures.case_studies,
        events_attended_90_days=figures.events_attended_90_days,
        open_plays=open_play_count(access.account) if access.can_view_economics else None,
        weekly_activity=[
            WeekOut(week_start=point.start, actions=point.value)
            for point in weekly_activity(access.account)
        ],
    )


def _signal_account_out(row: SignalAccountRow) -> SignalAccountOut:
    return SignalAccountOut(
        account=SignalAccountRefOut(id=row.account_id, name=row.name),
        plan=row.plan_name,
        signal_count=row.signal_count,
        member_count=row.member_count,
        arr_minor=row.arr_minor,
        currency=row.currency,
        latest_at=row.latest_at,
        capabilities=row.capabilities,
    )


@router.get(
    "/expansion-signals",
    response={200: SignalAccountPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List accounts with expansion signals",
)
@paginate(LimitOffsetPage, pass_parameter="page")
def list_expansion_signals(request: HttpRequest, **paging: PageParams) -> Window:
    """Accounts whose members showed interest in capabilities of a higher plan in the last 90
    days, the most signals first, then the largest ARR. Needs customer economics."""
    check_capability(get_actor(request), Capability.VIEW_ACCOUNT_ECONOMICS)
    page = paging["page"]
    found = accounts_with_signals(offset=page.offset, limit=page.limit)
    total = found.total if found.rows or page.offset == 0 else count_signal_accounts()
    return Window(
        items=[_signal_account_out(row) for row in found.rows],
        count=total,
        offset=page.offset,
        has_more=page.offset + len(found.rows) < total,
    )
