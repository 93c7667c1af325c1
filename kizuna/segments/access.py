"""The entry that fetches a segment and authorises the viewer, once per request."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kizuna.identity.permissions import Viewer
from kizuna.segments.models import Segment
from kizuna.segments.permissions import (
    can_manage_segment,
    can_view_segments,
    sees_economics,
    segments_visible_to,
)


@dataclass(frozen=True)
class SegmentAccess:
    viewer: Viewer
    segment: Segment
    can_manage: bool
    sees_economics: bool


def get_segment_access(viewer: Viewer, segment: Segment) -> SegmentAccess:
    return SegmentAccess(
        viewer=viewer,
        segment=segment,
        can_manage=can_manage_segment(viewer, segment),
        sees_economics=sees_economics(viewer),
    )


def access_segment(viewer: Viewer, pk: int) -> SegmentAccess:
    """The segment with this id and what the viewer may do with it.

    PermissionDenied for anyone who may not see segments at all; Http404 when the segment is
    missing or uses customer economics the viewer may not see: the two look the same.
    """
    if not can_view_segments(viewer):
        raise PermissionDenied("view_customer_data")
    segment = (
        segments_visible_to(viewer).select_related("created_by", "updated_by").filter(pk=pk).first()
    )
    if segment is None:
        raise Http404
    return get_segment_access(viewer, segment)
