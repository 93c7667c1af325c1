"""Fetch and authorise a programme or a project map in one call per request.

A programme the viewer may not read is the same Http404 as a missing one: an id never confirms
that a customer's cohort exists.
"""

from dataclasses import dataclass

from django.http import Http404

from kizuna.cohorts.models import Programme, ProjectMap
from kizuna.cohorts.permissions import (
    can_edit_map,
    can_manage_programme,
    can_promote_to_knowledge,
    can_view_programme,
    is_participant,
)
from kizuna.identity.permissions import Viewer
from kizuna.spaces.permissions import SpaceAccess, get_space_access


@dataclass(frozen=True)
class ProgrammeAccess:
    viewer: Viewer
    programme: Programme
    space_access: SpaceAccess
    can_manage: bool
    is_participant: bool

    @property
    def can_promote(self) -> bool:
        return can_promote_to_knowledge(self.viewer, self.space_access, can_manage=self.can_manage)


@dataclass(frozen=True)
class MapAccess:
    project_map: ProjectMap
    programme_access: ProgrammeAccess
    can_edit: bool

    @property
    def programme(self) -> Programme:
        return self.programme_access.programme


def programme_access(viewer: Viewer, programme: Programme) -> ProgrammeAccess:
    """The decision on a programme already fetched; Http404 when the viewer may not read it."""
    space_access = get_space_access(viewer, programme.space)
    if not can_view_programme(viewer, programme, space_access):
        raise Http404
    return ProgrammeAccess(
        viewer=viewer,
        programme=programme,
        space_access=space_access,
        can_manage=can_manage_programme(viewer, programme),
        is_participant=is_participant(viewer, programme),
    )


def access_programme(viewer: Viewer, pk: int) -> ProgrammeAccess:
    programme = (
        Programme.objects.select_related("space", "space__parent", "owner").filter(pk=pk).first()
    )
    if programme is None:
        raise Http404
    return programme_access(viewer, programme)


def map_access(viewer: Viewer, project_map: ProjectMap) -> MapAccess:
    access = programme_access(viewer, project_map.participant.programme)
    return MapAccess(
        project_map=project_map,
        programme_access=access,
        can_edit=can_edit_map(viewer, project_map, can_manage=access.can_manage),
    )


def access_map(viewer: Viewer, pk: int) -> MapAccess:
    project_map = (
        ProjectMap.objects.select_related(
            "participant__member",
            "participant__account",
            "participant__programme__space__parent",
            "participant__programme__owner",
        )
        .filter(pk=pk)
        .first()
    )
    if project_map is None:
        raise Http404
    return map_access(viewer, project_map)
