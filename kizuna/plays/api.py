"""The plays API, for staff: the play queue, working a play, and the play rules.

Reading needs `success:read` and a member who may see plays (WORK_PLAYS or
VIEW_ACCOUNT_ECONOMICS); working a play `success:write` and WORK_PLAYS; the rules
CONFIGURE_CUSTOMER_SUCCESS with VIEW_ACCOUNT_ECONOMICS. The same services as the pages.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam
from ninja.params.functions import Query as QueryParam

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey
from kizuna.identity.schemas import MemberRefOut
from kizuna.plays import services
from kizuna.plays.access import access_play, access_play_rule
from kizuna.plays.kinds import THRESHOLDS
from kizuna.plays.models import Play, PlayRule
from kizuna.plays.permissions import check_can_configure_rules
from kizuna.plays.schemas import (
    DismissIn,
    PlayAccountOut,
    PlayOut,
    PlayPageOut,
    PlayRuleOut,
    PlayRulePageOut,
    PlayRulePatchIn,
    PlayRuleRefOut,
    PlayStatusFilter,
    SegmentRefOut,
    SnoozeIn,
    TierValue,
)
from kizuna.plays.selectors import OWNER_ANYONE, play_queue

router = Router(tags=["plays"])

READ = api_auth(ApiKey.Scope.SUCCESS_READ)
WRITE = api_auth(ApiKey.Scope.SUCCESS_WRITE)


def _play_id() -> Any:
    return PathParam(..., ge=1, le=ID_MAX, description="The play's id.")


def _refusal(error: ValidationError) -> ApiError | ValidationError:
    """A play already closed is a 409 with its code; an error about a field stays a 422."""
    if hasattr(error, "error_dict"):
        return error
    return ApiError(409, getattr(error, "code", None) or "refused", " ".join(error.messages))


def _play_out(play: Play) -> PlayOut:
    return PlayOut(
        id=play.pk,
        rule=PlayRuleRefOut(
            id=play.rule.pk,
            kind=play.rule.kind,  # type: ignore[arg-type]
            title=play.rule.display_title,
        ),
        account=PlayAccountOut(
            id=play.account.pk,
            name=play.account.name,
            touch_tier=play.account.touch_tier,  # type: ignore[arg-type]
        ),
        member=MemberRefOut.of(play.member) if play.member else None,
        status=play.status,  # type: ignore[arg-type]
        reason=play.reason,
        params=play.params if isinstance(play.params, dict) else {},
        owner=MemberRefOut.of(play.owner) if play.owner else None,
        opened_at=play.opened_at,
        snoozed_until=play.snoozed_until,
        closed_at=play.closed_at,
        closed_by=MemberRefOut.of(play.closed_by) if play.closed_by else None,
        dismiss_reason=play.dismiss_reason,
    )


def _rule_out(rule: PlayRule) -> PlayRuleOut:
    return PlayRuleOut(
        id=rule.pk,
        kind=rule.kind,  # type: ignore[arg-type]
        title=rule.display_title,
        tier=rule.tier or None,  # type: ignore[arg-type]
        enabled=rule.enabled,
        days=rule.days,
        window_days=rule.window_days,
        percentage=rule.percentage,
        minimum=rule.minimum,
        any_activity=rule.any_activity,
        cooldown_days=rule.cooldown_days,
        segment=(
            SegmentRefOut(id=rule.segment.pk, name=rule.segment.name) if rule.segment else None
        ),
        thresholds=[threshold.field for threshold in THRESHOLDS.get(rule.kind, ())],
        last_evaluated_at=rule.last_evaluated_at,
    )


@router.get(
    "/plays",
    response={200: PlayPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List plays",
)
@paginate(LimitOffsetPage)
def list_plays(
    request: HttpRequest,
    owner: str = QueryParam(
        OWNER_ANYONE,
        pattern=r"^(me|all|none|[0-9]{1,10})$",
        description='"me", "all", "none" (accounts without a CSM) or a staff member\'s id.',
    ),
    tier: TierValue | None = None,
    rule: int | None = QueryParam(None, ge=1, le=ID_MAX, description="A play rule's id."),
    status: PlayStatusFilter = "open",
) -> Rows[Play]:
    plays = play_queue(
        get_actor(request), owner=owner, tier=tier or "", rule_id=rule, status=status
    )
    return Rows(plays, lambda page: [_play_out(play) for play in page])


@router.post(
    "/plays/{play_id}/done",
    response={200: PlayOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Mark a play done",
)
def mark_play_done(request: HttpRequest, play_id: int = _play_id()) -> PlayOut:
    actor = get_actor(request)
    try:
        play = services.mark_play_done(actor=actor, play=access_play(actor, play_id))
    except ValidationError as error:
        raise _refusal(error) from None
    return _play_out(play)


@router.post(
    "/plays/{play_id}/snooze",
    response={200: PlayOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Snooze a play until a date",
)
def snooze_play(request: HttpRequest, payload: SnoozeIn, play_id: int = _play_id()) -> PlayOut:
    actor = get_actor(request)
    try:
        play = services.snooze_play(
            actor=actor, play=access_play(actor, play_id), until=payload.until
        )
    except ValidationError as error:
        raise _refusal(error) from None
    return _play_out(play)


@router.post(
    "/plays/{play_id}/dismiss",
    response={200: PlayOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Dismiss a play with the reason",
)
def dismiss_play(request: HttpRequest, payload: DismissIn, play_id: int = _play_id()) -> PlayOut:
    actor = get_actor(request)
    try:
        play = services.dismiss_play(
            actor=actor, play=access_play(actor, play_id), reason=payload.reason
        )
    except ValidationError as error:
        raise _refusal(error) from None
    return _play_out(play)


@router.get(
    "/play-rules",
    response={200: PlayRulePageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List the play rules",
)
@paginate(LimitOffsetPage)
def list_play_rules(request: HttpRequest) -> Rows[PlayRule]:
    check_can_configure_rules(get_actor(request))
    return Rows(
        PlayRule.objects.order_by("position", "pk"), lambda page: [_rule_out(r) for r in page]
    )


@router.patch(
    "/play-rules/{rule_id}",
    response={200: PlayRuleOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Change a play rule's settings",
)
def update_play_rule(
    request: HttpRequest,
    payload: PlayRulePatchIn,
    rule_id: int = PathParam(..., ge=1, le=ID_MAX, description="The play rule's id."),
) -> PlayRuleOut:
    actor = get_actor(request)
    rule = access_play_rule(actor, rule_id)
    values = payload.dict(exclude_unset=True)
    for name in ("title", "tier", "enabled", "any_activity", "cooldown_days"):
        # null for these means "leave as it is"; only thresholds may be emptied.
        if name in values and values[name] is None:
            del values[name]
    rule = services.update_play_rule(actor=actor, rule=rule, values=values)
    return _rule_out(rule)
