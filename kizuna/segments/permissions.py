"""Who may see, count, use and change segments.

Every staff member may list and open segments (VIEW_CUSTOMER_DATA); MANAGE_SEGMENTS creates,
edits and deletes them. A segment with a condition on customer economics (touch tier, ARR,
custom fields) exists only for staff with VIEW_ACCOUNT_ECONOMICS: for anyone else it is not
listed, not counted, not exported and not usable, as if it were not there. Members never
reach segments at all.
"""

from django.db.models import QuerySet

from kizuna.identity.permissions import Viewer, has_capability
from kizuna.identity.roles import Capability
from kizuna.segments.models import Segment


def can_view_segments(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.VIEW_CUSTOMER_DATA)


def sees_economics(viewer: Viewer) -> bool:
    return has_capability(viewer, Capability.VIEW_ACCOUNT_ECONOMICS)


def can_manage_segments(viewer: Viewer) -> bool:
    return can_view_segments(viewer) and has_capability(viewer, Capability.MANAGE_SEGMENTS)


def can_view_segment(viewer: Viewer, segment: Segment) -> bool:
    return can_view_segments(viewer) and (not segment.uses_economics or sees_economics(viewer))


def can_manage_segment(viewer: Viewer, segment: Segment) -> bool:
    return can_view_segment(viewer, segment) and can_manage_segments(viewer)


def segments_visible_to(viewer: Viewer) -> QuerySet[Segment]:
    """The segments `can_view_segment` lets the viewer open, as a queryset."""
    if not can_view_segments(viewer):
        return Segment.objects.none()
    segments = Segment.objects.all()
    if not sees_economics(viewer):
        segments = segments.filter(uses_economics=False)
    return segments
