"""Reads of events and registrations that pages, the API and other apps share."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from kizuna.events.models import Event, EventStatus, Registration, RegistrationStatus, SeatKind
from kizuna.events.permissions import events_visible_to
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import spaces_with_visible_content


def upcoming_events(viewer: Viewer, *, space: Space | None = None) -> QuerySet[Event]:
    events = events_visible_to(viewer).filter(ends_at__gt=timezone.now())
    if space is not None:
        events = events.filter(space=space)
    return events.select_related("space").order_by("starts_at", "id")


def past_events(viewer: Viewer, *, space: Space | None = None) -> QuerySet[Event]:
    events = events_visible_to(viewer).filter(ends_at__lte=timezone.now())
    if space is not None:
        events = events.filter(space=space)
    return events.select_related("space").order_by("-starts_at", "-id")


def confirmed_counts(event: Event) -> dict[str, int]:
    """Confirmed registrations per seat kind."""
    rows = (
        Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED)
        .values("seat")
        .annotate(n=Count("id"))
    )
    counts = {seat: 0 for seat in SeatKind.values}
    counts.update({row["seat"]: row["n"] for row in rows})
    return counts


def seats_left(event: Event) -> dict[str, int]:
    """Free seats per seat kind the event offers (never below zero)."""
    taken = confirmed_counts(event)
    return {seat: max(event.capacity_of(seat) - taken[seat], 0) for seat in event.seat_kinds}


def registration_of(member: Viewer, event: Event) -> Registration | None:
    if not is_signed_in(member):
        return None
    return Registration.objects.filter(event=event, member_id=member.pk).first()


def waitlist_position(registration: Registration) -> int | None:
    """1 for the first in line for this seat kind; None when not on the waitlist."""
    if not registration.is_waitlisted:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        seat=registration.seat,
        status=RegistrationStatus.WAITLISTED,
    ).filter(
        Q(queued_at__lt=registration.queued_at)
        | Q(queued_at=registration.queued_at, id__lt=registration.pk)
    )
    return ahead.count() + 1


def waitlist_of(event: Event, seat: str) -> QuerySet[Registration]:
    return Registration.objects.filter(
        event=event, seat=seat, status=RegistrationStatus.WAITLISTED
    ).order_by("queued_at", "id")


def registrations_of(member: Member) -> QuerySet[Registration]:
    """A member's registrations, newest event first, for their own page."""
    return (
        Registration.objects.filter(member=member)
        .select_related("event", "event__space")
        .order_by("-event__starts_at", "-id")
    )


def upcoming_registrations_of(member: Member) -> QuerySet[Registration]:
    """The member's confirmed or waitlisted places at published events not yet over, in spaces
    they still read, soonest first (the home page's card)."""
    return (
        Registration.objects.filter(
            member=member,
            status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED],
            event__status=EventStatus.PUBLISHED,
            event__ends_at__gt=timezone.now(),
            event__space__in=spaces_with_visible_content(member),
        )
        .select_related("event", "event__space")
        .order_by("event__starts_at", "event_id")
    )


def registrants_of(event: Event) -> QuerySet[Registration]:
    """Everyone who registered, for the staff list: confirmed first, then the waitlist."""
    return (
        Registration.objects.filter(event=event)
        .select_related("member")
        .order_by("status", "seat", "queued_at", "id")
    )
