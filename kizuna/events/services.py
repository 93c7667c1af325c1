"""Writes for events: staff run events, members register and cancel, staff mark attendance.

Seats are counted from the registrations while the event's row is locked
(select_for_update), so simultaneous registrations and cancellations queue on one row and a
seat kind never holds more confirmed registrations than its capacity. A freed seat goes to
the first waitlisted registration of the same seat kind in the same transaction.
"""

from dataclasses import dataclass, fields
from datetime import datetime
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.activity.models import Activity, Verb
from kizuna.activity.services import record_activity
from kizuna.content.markdown import render_markdown
from kizuna.core.audit import record_audit
from kizuna.events.access import EventAccess, get_event_access
from kizuna.events.models import (
    Attendance,
    Event,
    EventFormat,
    EventSpeaker,
    EventStatus,
    NoticeKind,
    Registration,
    RegistrationStatus,
    SeatKind,
    SpeakerKind,
)
from kizuna.events.permissions import can_manage_events_in
from kizuna.events.tasks import send_event_cancelled_notices, send_event_notice
from kizuna.gamification.models import Level
from kizuna.identity.models import Interest, Member
from kizuna.identity.permissions import Viewer, is_signed_in
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess, decided_space_access

MAX_QUESTIONS = 10
MAX_ANSWER_LENGTH = 1000


class EventError(ValidationError):
    """An action the event's state or rules do not allow; the message says why to people.

    Codes: not_allowed, not_signed_in, not_open, wrong_seat, not_registered, missing_answer,
    answer_too_long, not_draft, cancelled.
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message, code=code)


@dataclass(frozen=True)
class EventDetails:
    """What the people running a space's events write on the event form."""

    title: str
    description: str
    format: str
    starts_at: datetime
    ends_at: datetime
    online_capacity: int
    in_person_capacity: int
    venue_name: str = ""
    venue_address: str = ""
    map_url: str = ""
    online_url: str = ""
    target_level: Level | None = None
    facilitator: Member | None = None
    registration_questions: tuple[dict[str, Any], ...] = ()
    tags: tuple[Interest, ...] = ()


def _check_details(details: EventDetails) -> None:
    errors: dict[str, str] = {}
    if not " ".join(details.title.split()):
        errors["title"] = _("Give the event a title.")
    if details.format not in EventFormat.values:
        errors["format"] = _("Choose whether the event is online, in person or hybrid.")
    if details.ends_at <= details.starts_at:
        errors["ends_at"] = _("The event must end after it starts.")
    if details.format in (EventFormat.ONLINE, EventFormat.HYBRID) and details.online_capacity < 1:
        errors["online_capacity"] = _("An online or hybrid event needs at least one online seat.")
    if details.format in (EventFormat.OFFLINE, EventFormat.HYBRID) and (
        details.in_person_capacity < 1
    ):
        errors["in_person_capacity"] = _(
            "An in-person or hybrid event needs at least one in-person seat."
        )
    if details.format in (EventFormat.OFFLINE, EventFormat.HYBRID) and not details.venue_name:
        errors["venue_name"] = _("Say where the event takes place.")
    if len(details.registration_questions) > MAX_QUESTIONS:
        errors["registration_questions"] = _("Ask at most %(most)s questions.") % {
            "most": MAX_QUESTIONS
        }
    if errors:
        raise ValidationError(errors)


def _check_manager(actor: Viewer, space: Space, access: SpaceAccess | None) -> SpaceAccess:
    space_access = decided_space_access(actor, space, access)
    if not can_manage_events_in(actor, space_access):
        raise EventError(
            _("Only the space's hosts and moderators and community managers run its events."),
            code="not_allowed",
        )
    return space_access


def _values(details: EventDetails) -> dict[str, object]:
    return {
        field.name: getattr(details, field.name)
        for field in fields(details)
        if field.name not in ("tags", "registration_questions", "title")
    }


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _audit(actor: Member, action: str, event: Event, **details: object) -> None:
    record_audit(actor=actor, action=f"events.{action}", target=event, details=details)


def create_event(
    *, actor: Member, space: Space, details: EventDetails, access: SpaceAccess | None = None
) -> Event:
    """A draft event in the space; members see it once it is published."""
    _check_manager(actor, space, access)
    _check_details(details)
    with transaction.atomic():
        event = Event.objects.create(
            space=space,
            title=" ".join(details.title.split()),
            registration_questions=list(details.registration_questions),
            description_html=render_markdown(details.description),
            created_by=actor,
            **_values(details),
        )
        event.tags.set(details.tags)
        _audit(actor, "created", event, format=event.format)
    return event


def update_event(
    *, actor: Member, event: Event, details: EventDetails, access: EventAccess | None = None
) -> Event:
    """Change an event; more seats promote the waitlist at once, fewer never remove anyone."""
    _check_manager(actor, event.space, access.space_access if access else None)
    _check_details(details)
    with transaction.atomic():
        locked = _lock(event)
        if locked.status == EventStatus.CANCELLED:
            raise EventError(
                _("This event is cancelled and can no longer change."), code="cancelled"
            )
        for name, value in _values(details).items():
            setattr(locked, name, value)
        locked.title = " ".join(details.title.split())
        locked.registration_questions = list(details.registration_questions)
        locked.description_html = render_markdown(details.description)
        locked.save()
        locked.tags.set(details.tags)
        _fill_free_seats(locked)
        _audit(actor, "updated", locked)
    return locked


def publish_event(*, actor: Member, event: Event, access: EventAccess | None = None) -> Event:
    _check_manager(actor, event.space, access.space_access if access else None)
    with transaction.atomic():
        locked = _lock(event)
        if locked.status != EventStatus.DRAFT:
            raise EventError(_("Only a draft event can be published."), code="not_draft")
        locked.status = EventStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        _audit(actor, "published", locked)
    return locked


def cancel_event(*, actor: Member, event: Event, access: EventAccess | None = None) -> Event:
    """Call the event off; registrations stay as they were, and each registrant is emailed
    once the cancellation commits."""
    _check_manager(actor, event.space, access.space_access if access else None)
    with transaction.atomic():
        locked = _lock(event)
        if locked.status == EventStatus.CANCELLED:
            return locked
        locked.status = EventStatus.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at", "updated_at"])
        _audit(actor, "cancelled", locked)
        transaction.on_commit(partial(send_event_cancelled_notices.delay, locked.pk), robust=True)
    return locked


def _clean_answers(event: Event, answers: dict[str, str]) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for index, question in enumerate(event.registration_questions):
        answer = (answers.get(str(index)) or "").strip()
        if question.get("required") and not answer:
            raise EventError(
                _("Please answer “%(question)s”.") % {"question": question.get("label", "")},
                code="missing_answer",
            )
        if len(answer) > MAX_ANSWER_LENGTH:
            raise EventError(
                _("Keep each answer under %(most)s characters.") % {"most": MAX_ANSWER_LENGTH},
                code="answer_too_long",
            )
        if answer:
            cleaned[str(index)] = answer
    return cleaned


def _check_can_register(member: Viewer, event: Event, access: EventAccess | None) -> EventAccess:
    if not is_signed_in(member):
        raise EventError(_("Sign in to register for this event."), code="not_signed_in")
    if access is None or not access.is_for(member, event):
        access = get_event_access(member, event)
    if not access.space_access.can_view_content:
        raise EventError(
            _("Only people who can read this space can register for its events."),
            code="not_allowed",
        )
    return access


def register(
    *,
    member: Member,
    event: Event,
    seat: str,
    answers: dict[str, str] | None = None,
    access: EventAccess | None = None,
) -> Registration:
    """A confirmed seat of this kind if one is free, else a place at the end of its waitlist.

    Registering again while registered changes nothing; after a cancellation it queues anew.
    """
    _check_can_register(member, event, access)
    with transaction.atomic():
        locked = _lock(event)
        if locked.status != EventStatus.PUBLISHED or locked.ends_at <= timezone.now():
            raise EventError(_("This event no longer takes registrations."), code="not_open")
        if seat not in locked.seat_kinds:
            raise EventError(_("This event has no seats of that kind."), code="wrong_seat")
        registration = Registration.objects.filter(event=locked, member=member).first()
        if registration is not None and registration.status != RegistrationStatus.CANCELLED:
            return registration
        cleaned = _clean_answers(locked, answers or {})
        now = timezone.now()
        free = locked.capacity_of(seat) > _confirmed(locked, seat) and not (
            Registration.objects.filter(
                event=locked, seat=seat, status=RegistrationStatus.WAITLISTED
            ).exists()
        )
        status = RegistrationStatus.CONFIRMED if free else RegistrationStatus.WAITLISTED
        if registration is None:
            registration = Registration(event=locked, member=member)
        registration.seat = seat
        registration.status = status
        registration.queued_at = now
        registration.answers = cleaned
        registration.confirmed_at = now if free else None
        registration.cancelled_at = None
        registration.save()
        record_activity(
            actor=member,
            verb=Verb.REGISTERED,
            target=locked,
            space_id=locked.space_id,
            details={"status": status, "seat": seat},
        )
    return registration


def _confirmed(event: Event, seat: str) -> int:
    return Registration.objects.filter(
        event=event, seat=seat, status=RegistrationStatus.CONFIRMED
    ).count()


def _fill_free_seats(locked: Event) -> list[Registration]:
    """Promote the first in line of each seat kind into its free seats, each emailed once the
    promotion commits; the caller holds the event's lock."""
    promoted: list[Registration] = []
    now = timezone.now()
    for seat in SeatKind.values:
        free = locked.capacity_of(seat) - _confirmed(locked, seat)
        if free <= 0:
            continue
        first_in_line = Registration.objects.filter(
            event=locked, seat=seat, status=RegistrationStatus.WAITLISTED
        ).order_by("queued_at", "id")[:free]
        for registration in first_in_line:
            registration.status = RegistrationStatus.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at", "updated_at"])
            promoted.append(registration)
            transaction.on_commit(
                partial(
                    send_event_notice.delay,
                    registration.pk,
                    NoticeKind.PROMOTED.value,
                    now.isoformat(),
                ),
                robust=True,
            )
    return promoted


def cancel_registration(*, member: Member, event: Event) -> Registration:
    """Give up a seat or a waitlist place; a freed seat goes to the first in line at once."""
    with transaction.atomic():
        locked = _lock(event)
        registration = Registration.objects.filter(event=locked, member=member).first()
        if registration is None:
            raise EventError(_("You are not registered for this event."), code="not_registered")
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.confirmed_at = None
        registration.save(update_fields=["status", "cancelled_at", "confirmed_at", "updated_at"])
        if locked.status == EventStatus.PUBLISHED:
            _fill_free_seats(locked)
    return registration


def _recorded(member_id: int, verb: Verb, event: Event) -> bool:
    return Activity.objects.filter(
        actor_id=member_id, verb=verb, object_type="event", object_id=event.pk
    ).exists()


def mark_attendance(
    *,
    actor: Member,
    event: Event,
    registration_id: int,
    attendance: str,
    access: EventAccess | None = None,
    checked_in: bool = False,
) -> Registration:
    """Staff record whether a registrant came; attending (and speaking, for a member speaker)
    is recorded in the activity stream once per member and event."""
    _check_manager(actor, event.space, access.space_access if access else None)
    if attendance not in Attendance.values:
        raise EventError(_("Choose attended or no-show."), code="not_allowed")
    with transaction.atomic():
        locked = _lock(event)
        registration = (
            Registration.objects.filter(event=locked, pk=registration_id)
            .exclude(status=RegistrationStatus.CANCELLED)
            .first()
        )
        if registration is None:
            raise EventError(
                _("That person has no registration for this event."), code="not_registered"
            )
        registration.attendance = attendance
        if checked_in and registration.checked_in_at is None:
            registration.checked_in_at = timezone.now()
        registration.save(update_fields=["attendance", "checked_in_at", "updated_at"])
        if attendance == Attendance.ATTENDED:
            _record_once(registration.member, Verb.ATTENDED, locked)
            if locked.speakers.filter(member_id=registration.member_id).exists():
                _record_once(registration.member, Verb.SPOKE, locked)
    return registration


def _record_once(member: Member, verb: Verb, event: Event) -> None:
    if not _recorded(member.pk, verb, event):
        record_activity(actor=member, verb=verb, target=event, space_id=event.space_id)


@dataclass(frozen=True)
class SpeakerDetails:
    """A speaker: a member (name from the profile) or an external expert by name."""

    kind: str
    member: Member | None = None
    name: str = ""
    job_title: str = ""
    company: str = ""
    talk_title: str = ""


def add_speaker(
    *, actor: Member, event: Event, details: SpeakerDetails, access: EventAccess | None = None
) -> EventSpeaker:
    """Put a speaker on the event's programme, after those already on it."""
    _check_manager(actor, event.space, access.space_access if access else None)
    name = " ".join(details.name.split())
    errors: dict[str, str] = {}
    if details.kind not in SpeakerKind.values:
        errors["kind"] = _(
            "Choose whether the speaker is a member, a leader or an external expert."
        )
    if details.member is None and not name:
        errors["name"] = _("Choose a member or write the speaker's name.")
    if details.kind == SpeakerKind.EXTERNAL and details.member is not None:
        errors["member"] = _("An external expert is not a member: write their name instead.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _lock(event)
        if details.member is not None and locked.speakers.filter(member=details.member).exists():
            raise ValidationError({"member": _("This member already speaks at this event.")})
        last = locked.speakers.order_by("-position").first()
        speaker = EventSpeaker.objects.create(
            event=locked,
            member=details.member,
            name="" if details.member is not None else name,
            job_title=details.job_title.strip(),
            company=details.company.strip(),
            kind=details.kind,
            talk_title=details.talk_title.strip(),
            position=(last.position + 1) if last is not None else 0,
        )
        _audit(actor, "speaker_added", locked, speaker=speaker.pk)
    return speaker


def remove_speaker(
    *, actor: Member, event: Event, speaker_id: int, access: EventAccess | None = None
) -> None:
    _check_manager(actor, event.space, access.space_access if access else None)
    with transaction.atomic():
        locked = _lock(event)
        deleted, _rows = EventSpeaker.objects.filter(event=locked, pk=speaker_id).delete()
        if deleted:
            _audit(actor, "speaker_removed", locked, speaker=speaker_id)
