"""iCalendar files of events: one event's file, a member's own feed and a space's feed.

Every feed is filtered by the events policy (kizuna.events.permissions) for the person it
is for, so a calendar app polling a feed sees only what that person sees on the pages. The
online link goes only into what a confirmed registrant downloads or subscribes to for
themself; a space's feed is shared more widely and never carries it.

A member's feed address holds a random token, the only credential a calendar app sends;
regenerating it (or revoking it) kills every copy of the old address at once.
"""

import secrets
from collections.abc import Iterable
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from icalendar import STATUS, Calendar
from icalendar import Event as CalendarEvent

from kizuna.events.access import EventAccess
from kizuna.events.models import CalendarFeed, Event, EventStatus, Registration, RegistrationStatus
from kizuna.events.permissions import can_see_online_url, events_visible_to
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import get_space_access

# How far back a feed reaches: calendar apps keep what they already fetched, and a feed
# that grew forever would make every poll slower.
FEED_PAST = timedelta(days=180)
# The most events one feed carries: a calendar app fetches the whole feed on every poll.
FEED_LIMIT = 500
TOKEN_BYTES = 24
PRODUCT_ID = "-//Kizuna//Community events//JA"
UTC = ZoneInfo("UTC")


def site_url(path: str) -> str:
    return str(settings.KIZUNA_SITE_URL).rstrip("/") + path


def event_uid(event: Event) -> str:
    """Stable across edits and feeds, so a calendar app updates the entry instead of adding one."""
    host = str(settings.KIZUNA_SITE_URL).split("//", 1)[-1].split("/", 1)[0] or "kizuna"
    return f"event-{event.pk}@{host}"


def _zone(event: Event) -> ZoneInfo:
    try:
        return ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def _location(event: Event) -> str:
    return ", ".join(part for part in (event.venue_name, event.venue_address) if part)


def _description(event: Event, *, online_url: str) -> str:
    parts = [event.description.strip()]
    if event.map_url:
        parts.append(event.map_url)
    if online_url:
        parts.append(online_url)
    return "\n\n".join(part for part in parts if part)


def calendar_entry(event: Event, *, online_url: str = "") -> CalendarEvent:
    """One VEVENT; `online_url` only where the policy lets its reader see the online link."""
    zone = _zone(event)
    return CalendarEvent.new(
        uid=event_uid(event),
        stamp=timezone.now().astimezone(UTC),
        start=event.starts_at.astimezone(zone),
        end=event.ends_at.astimezone(zone),
        summary=event.title,
        description=_description(event, online_url=online_url) or None,
        location=_location(event) or None,
        url=online_url or site_url(reverse("events:public-event", args=[event.pk])),
        last_modified=event.updated_at.astimezone(UTC),
        status=STATUS.CANCELLED if event.status == EventStatus.CANCELLED else STATUS.CONFIRMED,
    )


def _calendar(name: str, entries: Iterable[CalendarEvent]) -> bytes:
    calendar = Calendar.new(prodid=PRODUCT_ID, name=name)
    for entry in entries:
        calendar.add_component(entry)
    calendar.add_missing_timezones()
    ical: bytes = calendar.to_ical()
    return ical


def event_file(access: EventAccess) -> bytes:
    """The .ics of one event for whoever the access entry let see it."""
    event = access.event
    online_url = (
        event.online_url
        if can_see_online_url(access.viewer, access.registration, manages=access.can_manage)
        else ""
    )
    return _calendar(event.title, [calendar_entry(event, online_url=online_url)])


def _in_feed_window(events: QuerySet[Event]) -> QuerySet[Event]:
    return (
        events.exclude(status=EventStatus.DRAFT)
        .filter(ends_at__gte=timezone.now() - FEED_PAST)
        .order_by("-starts_at", "-id")
    )


def member_feed(token: str) -> bytes:
    """The feed of a member's registered events (not cancelled registrations), Http404 for an
    unknown or revoked token."""
    feed = CalendarFeed.objects.select_related("member").filter(token=token).first()
    if feed is None or not feed.member.is_active:
        raise Http404
    member = feed.member
    # Registered once is not enough: an event whose space the member can no longer read
    # leaves the feed, as it leaves the pages.
    visible = _in_feed_window(events_visible_to(member))
    registrations = (
        Registration.objects.filter(
            member=member,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
            event__in=visible.values("pk")[:FEED_LIMIT],
        )
        .select_related("event")
        .order_by("-event__starts_at", "-event_id")
    )
    entries = [
        calendar_entry(
            registration.event,
            online_url=registration.event.online_url
            if can_see_online_url(member, registration)
            else "",
        )
        for registration in registrations
    ]
    return _calendar(str(settings.KIZUNA_COMMUNITY_NAME), entries)


def space_feed(space_slug: str, *, token: str = "") -> bytes:
    """The events of one space that the feed's reader may see: without a token, only a space
    anyone may read; with a member's token, any space that member may read. Http404 otherwise,
    the same as a space that does not exist."""
    viewer: Viewer = AnonymousUser()
    if token:
        feed = CalendarFeed.objects.select_related("member").filter(token=token).first()
        if feed is None or not feed.member.is_active:
            raise Http404
        viewer = feed.member
    space = Space.objects.select_related("parent").filter(slug=space_slug).first()
    if space is None or not get_space_access(viewer, space).can_view_content:
        raise Http404
    events = _in_feed_window(events_visible_to(viewer).filter(space=space))[:FEED_LIMIT]
    return _calendar(space.name, [calendar_entry(event) for event in events])


def feed_of(member: Member) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(member=member).first()


def _new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


@transaction.atomic
def regenerate_feed(member: Member) -> CalendarFeed:
    """A new secret address (the first one on first use); the old one answers 404 from now on."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(
        member=member, defaults={"token": _new_token()}
    )
    if not created:
        feed.token = _new_token()
        feed.save(update_fields=["token"])
    return feed


def revoke_feed(member: Member) -> None:
    CalendarFeed.objects.filter(member=member).delete()
