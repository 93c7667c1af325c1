"""The ambassador roster API, for staff who see customer data (tiers only with economics)."""

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Query as QueryParam

from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.permissions import can_see_tiers, can_view_roster
from kizuna.ambassadors.schemas import (
    AmbassadorAccountOut,
    AmbassadorOut,
    AmbassadorPageOut,
    AmbassadorStatusValue,
)
from kizuna.ambassadors.selectors import roster
from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey
from kizuna.identity.schemas import MemberRefOut

router = Router(tags=["ambassadors"])

READ = api_auth(ApiKey.Scope.SUCCESS_READ)


def _ambassador_out(ambassador: Ambassador, *, shows_tier: bool) -> AmbassadorOut:
    link = getattr(ambassador.member, "account_link", None)
    account = link.account if link is not None else None
    return AmbassadorOut(
        id=ambassador.pk,
        member=MemberRefOut.of(ambassador.member),
        account=(
            AmbassadorAccountOut(
                id=account.pk,
                name=account.name,
                touch_tier=account.touch_tier if shows_tier else None,
            )
            if account is not None
            else None
        ),
        status=ambassador.status,  # type: ignore[arg-type]
        since=ambassador.since,
        note=ambassador.note,
        retired_at=ambassador.retired_at,
        retired_reason=ambassador.retired_reason,
    )


@router.get(
    "/ambassadors",
    response={200: AmbassadorPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List the ambassador roster",
)
@paginate(LimitOffsetPage)
def list_ambassadors(
    request: HttpRequest,
    q: str = QueryParam("", max_length=100),
    status: AmbassadorStatusValue | Literal["all"] = "active",
) -> Rows[Ambassador]:
    actor = get_actor(request)
    if not can_view_roster(actor):
        raise PermissionDenied
    shows_tier = can_see_tiers(actor)
    rows = roster(query=q.replace("\x00", ""), status="" if status == "all" else status)
    return Rows(rows, lambda page: [_ambassador_out(row, shows_tier=shows_tier) for row in page])
