"""`{% event_followup_links access %}`: on the event page, the way to the survey, the discussion
thread, the connect list, and for organisers the invitations, each shown only when it applies."""

from typing import Any

from django import template

from kizuna.events import connections, surveys
from kizuna.events.access import EventAccess

register = template.Library()


@register.inclusion_tag("events/followup/links.html")
def event_followup_links(access: EventAccess) -> dict[str, Any]:
    event = access.event
    registration = surveys.attended_registration(access.viewer, event)
    return {
        "event": event,
        "survey_open": registration is not None and surveys.survey_is_open(event),
        "answered": surveys.response_of(registration) is not None,
        "can_open_discussion": event.discussion_post_id is not None
        or connections.can_open_discussion(access),
        "is_attendee": registration is not None,
        "can_invite": access.can_manage,
    }
