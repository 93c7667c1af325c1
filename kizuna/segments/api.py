"""The segments API, for staff: list, read, create, update, delete, count, members, preview.

Scopes: success:read to read and count (and to preview an unsaved definition), success:write
to change. A key acts as the staff member who made it, so the same rules as the pages hold:
a segment on customer economics does not exist for someone who may not see economics.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router, Status
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam

from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.permissions import check_capability
from kizuna.identity.roles import Capability
from kizuna.segments import selectors, services
from kizuna.segments.access import SegmentAccess, access_segment
from kizuna.segments.definitions import Catalogue, describe
from kizuna.segments.models import Segment
from kizuna.segments.permissions import segments_visible_to
from kizuna.segments.schemas import (
    ConditionIn,
    ConditionOut,
    CountOut,
    PreviewIn,
    SegmentIn,
    SegmentMemberOut,
    SegmentMemberPageOut,
    SegmentOut,
    SegmentPageOut,
    SegmentPatchIn,
)

router = Router(tags=["segments"])

READ = api_auth(ApiKey.Scope.SUCCESS_READ)
WRITE = api_auth(ApiKey.Scope.SUCCESS_WRITE)


def _segment_out(segment: Segment, catalogue: Catalogue) -> SegmentOut:
    conditions = selectors.conditions_of(segment)
    return SegmentOut(
        id=segment.pk,
        name=segment.name,
        description=segment.description,
        target=segment.target,  # type: ignore[arg-type]
        match=segment.match,  # type: ignore[arg-type]
        conditions=[ConditionOut(**condition.as_json()) for condition in conditions],
        in_words=[describe(condition, catalogue) for condition in conditions],
        uses_economics=segment.uses_economics,
        created_at=segment.created_at,
        updated_at=segment.updated_at,
    )


def _raw(conditions: list[ConditionIn]) -> list[dict[str, Any]]:
    return [condition.dict() for condition in conditions]


def _member_out(member: Member) -> SegmentMemberOut:
    link = getattr(member, "account_link", None)
    account = link.account if link is not None else None
    name_ja = getattr(member, "level_name_ja", None)
    japanese = (get_language() or "ja").startswith("ja")
    return SegmentMemberOut(
        id=member.pk,
        name=member.name,
        email=member.email,
        account_id=account.pk if account else None,
        account_name=account.name if account else None,
        level=(name_ja if japanese else getattr(member, "level_name_en", None))
        if name_ja
        else None,
        points=int(getattr(member, "points", 0) or 0),
    )


def _find(request: HttpRequest, segment_id: int) -> SegmentAccess:
    return access_segment(get_actor(request), segment_id)


@router.get(
    "/segments",
    response={200: SegmentPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List segments",
)
@paginate(LimitOffsetPage)
def list_segments(request: HttpRequest) -> Rows[Segment]:
    actor = get_actor(request)
    check_capability(actor, Capability.VIEW_CUSTOMER_DATA)
    catalogue = services.catalogue_for(actor)
    segments = segments_visible_to(actor).order_by("name", "pk")
    return Rows(segments, lambda page: [_segment_out(segment, catalogue) for segment in page])


@router.post(
    "/segments/preview",
    response={200: CountOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Count what an unsaved segment definition matches",
)
def preview_segment(request: HttpRequest, payload: PreviewIn) -> CountOut:
    actor = get_actor(request)
    total = services.preview_count(
        actor, target=payload.target, match=payload.match, conditions=_raw(payload.conditions)
    )
    return CountOut(target=payload.target, count=total)


@router.get(
    "/segments/{segment_id}",
    response={200: SegmentOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Get a segment",
)
def get_segment(
    request: HttpRequest, segment_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> SegmentOut:
    access = _find(request, segment_id)
    return _segment_out(access.segment, services.catalogue_for(access.viewer))


@router.post(
    "/segments",
    response={201: SegmentOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Create a segment",
)
def create_segment(request: HttpRequest, payload: SegmentIn) -> Status[SegmentOut]:
    actor = get_actor(request)
    check_capability(actor, Capability.MANAGE_SEGMENTS)
    values = services.clean_segment(
        actor,
        name=payload.name,
        description=payload.description,
        target=payload.target,
        match=payload.match,
        conditions=_raw(payload.conditions),
    )
    segment = services.create_segment(actor, values)
    return Status(201, _segment_out(segment, services.catalogue_for(actor)))


@router.patch(
    "/segments/{segment_id}",
    response={200: SegmentOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Update a segment",
)
def update_segment(
    request: HttpRequest, payload: SegmentPatchIn, segment_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> SegmentOut:
    access = _find(request, segment_id)
    if not access.can_manage:
        raise PermissionDenied(Capability.MANAGE_SEGMENTS.value)
    segment = access.segment
    values = services.clean_segment(
        access.viewer,
        name=payload.name if payload.name is not None else segment.name,
        description=(
            payload.description if payload.description is not None else segment.description
        ),
        target=payload.target or segment.target,
        match=payload.match or segment.match,
        conditions=(
            _raw(payload.conditions) if payload.conditions is not None else segment.conditions
        ),
    )
    actor = get_actor(request)
    updated = services.update_segment(actor, access, values)
    return _segment_out(updated, services.catalogue_for(actor))


@router.delete(
    "/segments/{segment_id}",
    response={204: None, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Delete a segment",
)
def delete_segment(
    request: HttpRequest, segment_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> Status[None]:
    access = _find(request, segment_id)
    services.delete_segment(get_actor(request), access)
    return Status(204, None)


@router.get(
    "/segments/{segment_id}/count",
    response={200: CountOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Count a segment's members or accounts now",
)
def count_segment(
    request: HttpRequest, segment_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> CountOut:
    segment = _find(request, segment_id).segment
    return CountOut(target=segment.target, count=selectors.count(segment))  # type: ignore[arg-type]


@router.get(
    "/segments/{segment_id}/members",
    response={200: SegmentMemberPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="List a segment's members (an accounts segment: the members of its accounts)",
)
@paginate(LimitOffsetPage)
def segment_members(
    request: HttpRequest, segment_id: int = PathParam(..., ge=1, le=ID_MAX)
) -> Rows[Member]:
    segment = _find(request, segment_id).segment
    members = selectors.member_rows(selectors.members_in(segment))
    return Rows(members, lambda page: [_member_out(member) for member in page])
