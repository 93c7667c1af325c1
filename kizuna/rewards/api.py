"""The rewards API: the catalog, redeeming with an Idempotency-Key, and redemptions.

Redeeming calls the same service as the redeem page; the `Idempotency-Key` header is its
idempotency key, so a retried or replayed request gets the same redemption back and the
points are spent once. A member sees their own redemptions; staff who may see customer
data see everyone's.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Header as HeaderParam
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError, ErrorOut
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.core.idempotency import earlier_result
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import has_capability
from kizuna.identity.roles import Capability
from kizuna.identity.schemas import MemberRefOut
from kizuna.rewards import services
from kizuna.rewards.models import Redemption, Reward
from kizuna.rewards.schemas import (
    RedemptionOut,
    RedemptionPageOut,
    RedemptionStatusValue,
    RewardOut,
    RewardPageOut,
    RewardRefOut,
)
from kizuna.rewards.selectors import list_catalog_rewards

router = Router(tags=["rewards"])

READ = api_auth(ApiKey.Scope.RECOGNITION_READ)
WRITE = api_auth(ApiKey.Scope.RECOGNITION_WRITE)

# PermissionDenied reasons raised here; config.api turns them into the envelope's words.
DENIED_OTHERS_REDEMPTIONS = "view_redemptions"

# Printable ASCII without spaces, as HTTP header values travel safely.
IDEMPOTENCY_KEY_PATTERN = r"^[!-~]+$"


def denial_messages() -> dict[str, str]:
    return {DENIED_OTHERS_REDEMPTIONS: _("You can see only your own redemptions.")}


def _id_param(description: str) -> Any:
    return PathParam(..., ge=1, le=ID_MAX, description=description)


def _reward_out(reward: Reward) -> RewardOut:
    return RewardOut(
        id=reward.pk,
        name=reward.name,
        description=reward.description,
        kind=reward.kind,  # type: ignore[arg-type]
        cost_points=reward.cost_points,
        stock=reward.stock,
        per_member_limit=reward.per_member_limit,
        requires_approval=reward.requires_approval,
    )


def _redemption_out(redemption: Redemption) -> RedemptionOut:
    return RedemptionOut(
        id=redemption.pk,
        reward=RewardRefOut(id=redemption.reward.pk, name=redemption.reward.name),
        member=MemberRefOut.of(redemption.member),
        cost_points=redemption.cost_points,
        status=redemption.status,  # type: ignore[arg-type]
        reason=redemption.reason,
        fulfilment_note=redemption.fulfilment_note,
        created_at=redemption.created_at,
        decided_at=redemption.decided_at,
        fulfilled_at=redemption.fulfilled_at,
    )


def _sees_every_redemption(viewer: Member) -> bool:
    return has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)


def _redemptions_visible_to(viewer: Member) -> QuerySet[Redemption]:
    redemptions = Redemption.objects.select_related("reward", "member")
    if not _sees_every_redemption(viewer):
        redemptions = redemptions.filter(member_id=viewer.pk)
    return redemptions


@router.get(
    "/rewards",
    response={200: RewardPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="The rewards catalog: what is offered now, cheapest first",
)
@paginate(LimitOffsetPage)
def list_rewards(request: HttpRequest) -> Rows[Reward]:
    return Rows(list_catalog_rewards(), lambda rewards: [_reward_out(r) for r in rewards])


@router.get(
    "/rewards/{reward_id}",
    response={200: RewardOut, **ERROR_RESPONSES},
    auth=READ,
    summary="One reward of the catalog",
)
def get_reward(request: HttpRequest, reward_id: int = _id_param("The reward's id.")) -> RewardOut:
    reward = list_catalog_rewards().filter(pk=reward_id).first()
    if reward is None:
        raise Http404
    return _reward_out(reward)


@router.post(
    "/rewards/{reward_id}/redeem",
    response={200: RedemptionOut, 201: RedemptionOut, 409: ErrorOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Spend the acting member's points on one unit of a reward",
)
def redeem(
    request: HttpRequest,
    reward_id: int = _id_param("The reward's id."),
    idempotency_key: str = HeaderParam(
        ...,
        alias="Idempotency-Key",
        min_length=1,
        max_length=128,
        pattern=IDEMPOTENCY_KEY_PATTERN,
        description="A key of your choosing, new for each redemption (a UUID, say); "
        "sending it again returns the same redemption and spends nothing more.",
    ),
) -> Status[RedemptionOut]:
    """201 with the new redemption; 200 with the earlier one when the key was used before.
    409 says why it cannot be redeemed: `insufficient_points`, `out_of_stock`,
    `limit_reached`, `inactive`, or `idempotency_key_reused` (the key redeemed something
    else). With an API key, the points spent are those of the key's creator."""
    member = get_actor(request)
    reward = Reward.objects.filter(pk=reward_id).first()
    if reward is None:
        raise Http404
    replayed = (
        earlier_result(scope=services.REDEMPTION_SCOPE, actor_id=member.pk, key=idempotency_key)
        is not None
    )
    try:
        redemption = services.redeem_reward(
            member=member, reward=reward, idempotency_key=idempotency_key
        )
    except ValidationError as error:
        raise _refusal(error) from None
    if redemption.reward_id != reward.pk:
        raise _key_reused()
    found = _redemptions_visible_to(member).get(pk=redemption.pk)
    return Status(200 if replayed else 201, _redemption_out(found))


def _key_reused() -> ApiError:
    return ApiError(
        409,
        "idempotency_key_reused",
        _("This Idempotency-Key was already used for another request. Send a new key."),
    )


def _refusal(error: ValidationError) -> ApiError:
    code = getattr(error, "code", None) or "invalid"
    if code in {"invalid_key", "key_reused"}:
        return _key_reused()
    return ApiError(409, code, " ".join(error.messages))


@router.get(
    "/redemptions",
    response={200: RedemptionPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Redemptions, newest first: the acting member's, or everyone's for staff",
)
@paginate(LimitOffsetPage)
def list_redemptions(
    request: HttpRequest,
    status: RedemptionStatusValue | None = None,
    member_id: int | None = QueryParam(None, ge=1, le=ID_MAX, description="One member's."),
    reward_id: int | None = QueryParam(None, ge=1, le=ID_MAX, description="One reward's."),
) -> Rows[Redemption]:
    """Staff who may see customer data see every member's; others only their own."""
    viewer = get_actor(request)
    if member_id not in (None, viewer.pk) and not _sees_every_redemption(viewer):
        raise PermissionDenied(DENIED_OTHERS_REDEMPTIONS)
    redemptions = _redemptions_visible_to(viewer)
    if status is not None:
        redemptions = redemptions.filter(status=status)
    if member_id is not None:
        redemptions = redemptions.filter(member_id=member_id)
    if reward_id is not None:
        redemptions = redemptions.filter(reward_id=reward_id)
    return Rows(
        redemptions.order_by("-created_at", "-id"),
        lambda page: [_redemption_out(redemption) for redemption in page],
    )


@router.get(
    "/redemptions/{redemption_id}",
    response={200: RedemptionOut, **ERROR_RESPONSES},
    auth=READ,
    summary="One redemption: the acting member's own, or any for staff",
)
def get_redemption(
    request: HttpRequest, redemption_id: int = _id_param("The redemption's id.")
) -> RedemptionOut:
    redemption = _redemptions_visible_to(get_actor(request)).filter(pk=redemption_id).first()
    if redemption is None:
        raise Http404
    return _redemption_out(redemption)
