"""Who sees events, who runs them, and who may register.

An event follows its space: whoever reads the space's content sees its published and
cancelled events. Staff with MANAGE_SPACES and the space's hosts and moderators run the
space's events (create, edit, publish, cancel, mark attendance) and alone see drafts. The
online link is for confirmed registrants and for those who run the event.
"""

from django.db.models import Q, QuerySet
from django.utils import timezone

from kizuna.events.models import Event, EventStatus, Registration
from kizuna.identity.permissions import Viewer, has_capability, is_signed_in
from kizuna.identity.roles import Capability
from kizuna.spaces.permissions import (
    MODERATING_ROLES,
    SpaceAccess,
    moderated_spaces_q,
    spaces_with_visible_content,
)

MANAGE_EVENTS = Capability.MANAGE_SPACES


def can_manage_events_in(viewer: Viewer, access: SpaceAccess) -> bool:
    if has_capability(viewer, MANAGE_EVENTS):
        return True
    return access.can_view_content and access.role in MODERATING_ROLES


def can_view_event(viewer: Viewer, event: Event, access: SpaceAccess) -> bool:
    if not access.can_view_content:
        return False
    return event.status != EventStatus.DRAFT or can_manage_events_in(viewer, access)


def takes_registrations(event: Event) -> bool:
    """Published and not yet over: a member may register until the event ends."""
    return event.status == EventStatus.PUBLISHED and event.ends_at > timezone.now()


def can_register(viewer: Viewer, event: Event, access: SpaceAccess) -> bool:
    return is_signed_in(viewer) and access.can_view_content and takes_registrations(event)


def can_see_online_url(
    viewer: Viewer, registration: Registration | None, *, manages: bool = False
) -> bool:
    if manages:
        return True
    return (
        registration is not None
        and registration.is_confirmed
        and registration.member_id == getattr(viewer, "pk", None)
    )


def events_visible_to(viewer: Viewer) -> QuerySet[Event]:
    """Events this viewer may see in lists: published or cancelled, in spaces they may read;
    drafts too where they run the space's events."""
    visible = Event.objects.filter(space__in=spaces_with_visible_content(viewer))
    if has_capability(viewer, MANAGE_EVENTS):
        return visible
    if not is_signed_in(viewer):
        return visible.exclude(status=EventStatus.DRAFT)
    runs_space = _hosted_or_moderated_q(viewer)
    return visible.filter(~Q(status=EventStatus.DRAFT) | runs_space)


def _hosted_or_moderated_q(viewer: Viewer) -> Q:
    """The events whose space the viewer hosts or moderates, by membership, not capability."""
    if has_capability(viewer, Capability.MODERATE):
        # moderated_spaces_q answers "every space" for the MODERATE capability, which does not
        # by itself run events.
        return Q(
            space__memberships__member_id=viewer.pk,
            space__memberships__role__in=MODERATING_ROLES,
        )
    return moderated_spaces_q(viewer)
