"""The entry that fetches an event and authorises the viewer, once per request."""

from dataclasses import dataclass

from django.http import Http404

from kizuna.events.models import Event, Registration
from kizuna.events.permissions import can_manage_events_in, can_register, can_view_event
from kizuna.events.selectors import registration_of
from kizuna.identity.permissions import Viewer
from kizuna.spaces.permissions import SpaceAccess, get_space_access


@dataclass(frozen=True)
class EventAccess:
    viewer: Viewer
    event: Event
    space_access: SpaceAccess
    registration: Registration | None
    can_manage: bool
    can_register: bool

    def is_for(self, viewer: Viewer, event: Event) -> bool:
        return self.event.pk == event.pk and self.viewer.pk == viewer.pk


def get_event_access(viewer: Viewer, event: Event) -> EventAccess:
    space_access = get_space_access(viewer, event.space)
    return EventAccess(
        viewer=viewer,
        event=event,
        space_access=space_access,
        registration=registration_of(viewer, event),
        can_manage=can_manage_events_in(viewer, space_access),
        can_register=can_register(viewer, event, space_access),
    )


def access_event(viewer: Viewer, pk: int) -> EventAccess:
    """The event with this id and what the viewer may do with it.

    Http404 when it is missing or hidden from the viewer (a draft, or an event in a space
    whose content they may not read): a hidden event and a missing one look the same.
    """
    event = (
        Event.objects.select_related("space", "space__parent", "facilitator", "target_level")
        .filter(pk=pk)
        .first()
    )
    if event is None:
        raise Http404
    access = get_event_access(viewer, event)
    if not can_view_event(viewer, event, access.space_access):
        raise Http404
    return access
