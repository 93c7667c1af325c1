"""The cohorts API: programmes, project maps and their phases (read), and an objective's status.

Reads go through the same access entries as the pages (a programme the caller may not read is
a 404); the status update calls the same service as the map page.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam

from kizuna.cohorts import selectors, services
from kizuna.cohorts.access import access_map, access_programme
from kizuna.cohorts.models import Element, ElementKind, Phase, Programme, ProjectMap
from kizuna.cohorts.schemas import (
    ElementOut,
    MapOut,
    MapPageOut,
    ObjectiveStatusIn,
    PhaseOut,
    PhasePageOut,
    ProgrammeOut,
    ProgrammePageOut,
    ProgressPointOut,
    SessionOut,
)
from kizuna.core.api_errors import ERROR_RESPONSES, ApiError, ErrorOut
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey
from kizuna.identity.schemas import MemberRefOut

router = Router(tags=["cohorts"])

READ = api_auth(ApiKey.Scope.CONTENT_READ)
WRITE = api_auth(ApiKey.Scope.CONTENT_WRITE)


def _id_param(description: str) -> Any:
    return PathParam(..., ge=1, le=ID_MAX, description=description)


def _programme_out(programme: Programme) -> ProgrammeOut:
    return ProgrammeOut(
        id=programme.pk,
        title=programme.title,
        description=programme.description,
        status=programme.status,
        space_slug=programme.space.slug,
        owner=MemberRefOut.of(programme.owner),
        sessions=[
            SessionOut(number=s.number, date=s.date, title=s.title)
            for s in programme.sessions.all()
        ],
    )


def _map_out(project_map: ProjectMap) -> MapOut:
    progress = selectors.project_progress(project_map)
    return MapOut(
        id=project_map.pk,
        title=project_map.title,
        participant=MemberRefOut.of(project_map.participant.member),
        account_id=project_map.participant.account_id,
        phase_count=len(progress.trend),
        achieved_share=progress.share,
        trend=[
            ProgressPointOut(phase=p.number, achieved=p.achieved, objectives=p.objectives)
            for p in progress.trend
        ],
    )


def _phase_out(phase: Phase) -> PhaseOut:
    return PhaseOut(
        id=phase.pk,
        number=phase.number,
        session_number=phase.session.number if phase.session else None,
        happened=phase.happened,
        results=phase.results,
        decisions=phase.decisions,
        insight=phase.insight,
        elements=[
            ElementOut(
                id=e.pk,
                lineage=str(e.lineage),
                kind=e.kind,
                text=e.text,
                target=e.target,
                status=e.status,
                factor=e.factor,
                objective_ids=[o.pk for o in e.objectives.all()],
            )
            for e in phase.elements.all()
        ],
    )


@router.get(
    "/cohorts",
    response={200: ProgrammePageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Learning programmes the caller takes part in, runs, or may see as staff",
)
@paginate(LimitOffsetPage)
def list_programmes(request: HttpRequest) -> Rows[Programme]:
    rows = selectors.programmes_for(get_actor(request)).prefetch_related("sessions")
    return Rows(rows, lambda programmes: [_programme_out(p) for p in programmes])


@router.get(
    "/cohorts/{programme_id}",
    response={200: ProgrammeOut, **ERROR_RESPONSES},
    auth=READ,
    summary="One learning programme with its sessions",
)
def get_programme(
    request: HttpRequest, programme_id: int = _id_param("The programme's id.")
) -> ProgrammeOut:
    return _programme_out(access_programme(get_actor(request), programme_id).programme)


@router.get(
    "/cohorts/{programme_id}/maps",
    response={200: MapPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="The project maps of a programme, with each one's progress (big health)",
)
@paginate(LimitOffsetPage)
def list_maps(
    request: HttpRequest, programme_id: int = _id_param("The programme's id.")
) -> Rows[ProjectMap]:
    access = access_programme(get_actor(request), programme_id)
    return Rows(
        selectors.maps_of_programme(access.programme),
        lambda maps: [_map_out(m) for m in maps],
    )


@router.get(
    "/cohort-maps/{map_id}/phases",
    response={200: PhasePageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="The phases (局面) of a project map in order, each with its elements",
)
@paginate(LimitOffsetPage)
def list_phases(request: HttpRequest, map_id: int = _id_param("The map's id.")) -> Rows[Phase]:
    access = access_map(get_actor(request), map_id)
    elements = Element.objects.prefetch_related("objectives").order_by("kind", "position", "id")
    rows = selectors.phases_of(access.project_map).prefetch_related(
        Prefetch("elements", queryset=elements)
    )
    return Rows(rows.order_by("number"), lambda phases: [_phase_out(p) for p in phases])


@router.post(
    "/cohort-maps/{map_id}/objectives/{element_id}/status",
    response={200: ElementOut, 409: ErrorOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Set an intermediate objective's progress status in the latest phase",
)
def set_objective_status(
    request: HttpRequest,
    payload: ObjectiveStatusIn,
    map_id: int = _id_param("The map's id."),
    element_id: int = _id_param("The objective's id in the latest phase."),
) -> ElementOut:
    """409 `not_latest` when the objective belongs to an earlier phase, which is kept as it was."""
    actor = get_actor(request)
    access = access_map(actor, map_id)
    element = Element.objects.filter(
        pk=element_id, phase__project_map=access.project_map, kind=ElementKind.OBJECTIVE
    ).first()
    if element is None:
        raise Http404
    try:
        services.set_objective_status(
            actor=actor, element=element, status=payload.status, access=access
        )
    except ValidationError as error:
        code = getattr(error, "code", None) or "invalid"
        raise ApiError(409, code, " ".join(error.messages)) from None
    return ElementOut(
        id=element.pk,
        lineage=str(element.lineage),
        kind=element.kind,
        text=element.text,
        target=element.target,
        status=element.status,
        factor=element.factor,
        objective_ids=[],
    )
