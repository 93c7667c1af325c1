"""Who may see and do what in a learning cohort.

A programme is read by the people in it (participants, its CSM) and by staff, and only while
they may read its space: a project map holds a customer's plans, so the space's other members
do not see it. The CSM who owns the programme and staff who manage accounts run it; a
participant edits their own map; everyone who reads the programme comments on its maps.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from kizuna.cohorts.models import Participant, Programme, ProjectMap
from kizuna.identity.permissions import Viewer, has_capability, is_signed_in
from kizuna.identity.roles import Capability
from kizuna.spaces.permissions import SpaceAccess, decided_space_access, spaces_with_visible_content


def can_create_programme(viewer: Viewer) -> bool:
    """Staff who manage accounts set programmes up; each then names the CSM who runs it."""
    return has_capability(viewer, Capability.MANAGE_ACCOUNTS)


def can_manage_programme(viewer: Viewer, programme: Programme) -> bool:
    return is_signed_in(viewer) and (
        viewer.pk == programme.owner_id or has_capability(viewer, Capability.MANAGE_ACCOUNTS)
    )


def is_participant(viewer: Viewer, programme: Programme) -> bool:
    return (
        is_signed_in(viewer)
        and Participant.objects.filter(programme=programme, member_id=viewer.pk).exists()
    )


def can_view_programme(
    viewer: Viewer, programme: Programme, space_access: SpaceAccess | None = None
) -> bool:
    if not is_signed_in(viewer):
        return False
    if not decided_space_access(viewer, programme.space, space_access).can_view_content:
        return False
    return (
        has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)
        or can_manage_programme(viewer, programme)
        or is_participant(viewer, programme)
    )


def can_edit_map(viewer: Viewer, project_map: ProjectMap, *, can_manage: bool) -> bool:
    """The participant whose project it is, and whoever runs the programme (in the session)."""
    return can_manage or (is_signed_in(viewer) and project_map.participant.member_id == viewer.pk)


def can_promote_to_knowledge(
    viewer: Viewer, space_access: SpaceAccess, *, can_manage: bool
) -> bool:
    """Knowledge articles are staff writing (S2): the programme's runners who moderate its space."""
    return can_manage and space_access.can_moderate


def programmes_visible_to(viewer: Viewer) -> QuerySet[Programme]:
    """The same rule as can_view_programme, as a query for lists and the API."""
    if not is_signed_in(viewer):
        return Programme.objects.none()
    programmes = Programme.objects.filter(space__in=spaces_with_visible_content(viewer))
    if has_capability(viewer, Capability.VIEW_CUSTOMER_DATA):
        return programmes
    takes_part = Participant.objects.filter(programme=OuterRef("pk"), member_id=viewer.pk)
    return programmes.filter(Q(owner_id=viewer.pk) | Q(Exists(takes_part)))
