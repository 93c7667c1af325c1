"""The events API: events the caller may see, registering and cancelling, the caller's
registrations, check-in by code for those who run an event, and the post-event survey.

Every endpoint fetches the event through `access_event` (a hidden event is the same 404 as a
missing one) and calls the same services as the pages. Until the API keys gain events scopes,
reading uses `content:read` and writing `content:write`: events are the spaces' content.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam

from kizuna.core.api_errors import ERROR_RESPONSES, ApiError, ErrorOut
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.events import checkin, selectors, services, surveys
from kizuna.events.access import EventAccess, access_event
from kizuna.events.models import Event, Registration
from kizuna.events.permissions import can_see_online_url
from kizuna.events.schemas import (
    CheckInIn,
    CheckInOut,
    EventDetailOut,
    EventOut,
    EventPageOut,
    EventRefOut,
    EventWhen,
    MyRegistrationOut,
    RegisterIn,
    RegistrationOut,
    RegistrationPageOut,
    SpaceRefOut,
    SpeakerOut,
    SurveyIn,
    SurveyOut,
)
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey
from kizuna.identity.schemas import MemberRefOut

router = Router(tags=["events"])

READ = api_auth(ApiKey.Scope.CONTENT_READ)
WRITE = api_auth(ApiKey.Scope.CONTENT_WRITE)


def _event_id() -> Any:
    return PathParam(..., ge=1, le=ID_MAX, description="The event's id.")


def _refusal(error: ValidationError) -> ApiError | ValidationError:
    """A refusal about the event's state (full, closed, not attended) is a 409 with its code;
    an error about a field stays a 422 with the field."""
    if hasattr(error, "error_dict"):
        return error
    return ApiError(409, getattr(error, "code", None) or "refused", " ".join(error.messages))


def _event_out(event: Event) -> EventOut:
    return EventOut(
        id=event.pk,
        title=event.title,
        space=SpaceRefOut(slug=event.space.slug, name=event.space.name),
        format=event.format,  # type: ignore[arg-type]
        status=event.status,  # type: ignore[arg-type]
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        time_zone=event.time_zone,
        online_capacity=event.online_capacity,
        in_person_capacity=event.in_person_capacity,
        venue_name=event.venue_name,
        venue_address=event.venue_address,
        map_url=event.map_url,
        tags=[tag.name for tag in event.tags.all()],
        target_level=event.target_level.name_en if event.target_level else None,
        facilitator=MemberRefOut.of(event.facilitator) if event.facilitator else None,
    )


def _my_registration(registration: Registration | None) -> MyRegistrationOut | None:
    if registration is None:
        return None
    return MyRegistrationOut(
        id=registration.pk,
        seat=registration.seat,  # type: ignore[arg-type]
        status=registration.status,  # type: ignore[arg-type]
        waitlist_position=selectors.waitlist_position(registration),
        attendance=registration.attendance,  # type: ignore[arg-type]
    )


def _detail_out(access: EventAccess) -> EventDetailOut:
    event = access.event
    shows_link = can_see_online_url(access.viewer, access.registration, manages=access.can_manage)
    return EventDetailOut(
        **_event_out(event).dict(),
        description_html=event.description_html,
        online_url=(event.online_url or None) if shows_link else None,
        seats_left=selectors.seats_left(event),
        registration_questions=[
            str(question.get("label", "")) for question in event.registration_questions
        ],
        speakers=[
            SpeakerOut(
                member=MemberRefOut.of(speaker.member) if speaker.member else None,
                name=speaker.member.name if speaker.member else speaker.name,
                job_title=speaker.job_title,
                company=speaker.company,
                kind=speaker.kind,  # type: ignore[arg-type]
                talk_title=speaker.talk_title,
            )
            for speaker in event.speakers.select_related("member")
        ],
        discussion_post_id=event.discussion_post_id,
        my_registration=_my_registration(access.registration),
    )


def _registration_out(registration: Registration) -> RegistrationOut:
    event = registration.event
    return RegistrationOut(
        id=registration.pk,
        event=EventRefOut(
            id=event.pk, title=event.title, starts_at=event.starts_at, ends_at=event.ends_at
        ),
        member=MemberRefOut.of(registration.member),
        seat=registration.seat,  # type: ignore[arg-type]
        status=registration.status,  # type: ignore[arg-type]
        waitlist_position=selectors.waitlist_position(registration),
        attendance=registration.attendance,  # type: ignore[arg-type]
        checked_in_at=registration.checked_in_at,
        created_at=registration.created_at,
    )


@router.get(
    "/events",
    response={200: EventPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="Events the caller may see: upcoming soonest first, or past newest first",
)
@paginate(LimitOffsetPage)
def list_events(request: HttpRequest, when: EventWhen = "upcoming") -> Rows[Event]:
    viewer = get_actor(request)
    events: QuerySet[Event] = (
        selectors.upcoming_events(viewer) if when == "upcoming" else selectors.past_events(viewer)
    )
    return Rows(
        events.select_related("target_level", "facilitator").prefetch_related("tags"),
        lambda page: [_event_out(event) for event in page],
    )


@router.get(
    "/events/{event_id}",
    response={200: EventDetailOut, **ERROR_RESPONSES},
    auth=READ,
    summary="One event, with seats left and the caller's own registration",
)
def get_event(request: HttpRequest, event_id: int = _event_id()) -> EventDetailOut:
    return _detail_out(access_event(get_actor(request), event_id))


@router.put(
    "/events/{event_id}/registration",
    response={200: RegistrationOut, 409: ErrorOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Register the caller: a confirmed seat if one is free, else the waitlist",
)
def register(
    request: HttpRequest, payload: RegisterIn, event_id: int = _event_id()
) -> RegistrationOut:
    """Repeating it while registered returns the same registration. 409 codes: `not_open`,
    `wrong_seat`, `missing_answer`, `answer_too_long`, `not_allowed`."""
    member = get_actor(request)
    access = access_event(member, event_id)
    try:
        registration = services.register(
            member=member,
            event=access.event,
            seat=payload.seat,
            answers=payload.answers,
            access=access,
        )
    except ValidationError as error:
        raise _refusal(error) from None
    return _registration_out(registration)


@router.delete(
    "/events/{event_id}/registration",
    response={200: RegistrationOut, 409: ErrorOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Cancel the caller's registration; a freed seat goes to the first on the waitlist",
)
def cancel_registration(request: HttpRequest, event_id: int = _event_id()) -> RegistrationOut:
    member = get_actor(request)
    access = access_event(member, event_id)
    try:
        registration = services.cancel_registration(member=member, event=access.event)
    except ValidationError as error:
        raise _refusal(error) from None
    return _registration_out(registration)


@router.get(
    "/event-registrations",
    response={200: RegistrationPageOut, **ERROR_RESPONSES},
    auth=READ,
    summary="The caller's registrations, newest event first",
)
@paginate(LimitOffsetPage)
def my_registrations(request: HttpRequest) -> Rows[Registration]:
    rows = selectors.registrations_of(get_actor(request)).select_related("member")
    return Rows(rows, lambda page: [_registration_out(row) for row in page])


@router.post(
    "/events/{event_id}/check-in",
    response={200: CheckInOut, 409: ErrorOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Check a registrant in with the code of their QR (those who run the event)",
)
def check_in(request: HttpRequest, payload: CheckInIn, event_id: int = _event_id()) -> CheckInOut:
    """409 codes: `invalid_code`, `other_event`, `not_confirmed`, `not_allowed`, `cancelled`.
    A second scan answers 200 with `already_checked_in`."""
    actor = get_actor(request)
    access = access_event(actor, event_id)
    try:
        registration = checkin.registration_for_code(access, payload.code)
        done = checkin.check_in(actor=actor, access=access, registration_id=registration.pk)
    except ValidationError as error:
        raise _refusal(error) from None
    return CheckInOut(
        registration=_registration_out(done.registration), already_checked_in=done.already
    )


@router.put(
    "/events/{event_id}/survey",
    response={200: SurveyOut, 409: ErrorOut, **ERROR_RESPONSES},
    auth=WRITE,
    summary="Answer or change the caller's post-event survey (attendees, until it closes)",
)
def submit_survey(
    request: HttpRequest, payload: SurveyIn, event_id: int = _event_id()
) -> SurveyOut:
    """409 codes: `not_attended`, `survey_closed`."""
    member = get_actor(request)
    event = access_event(member, event_id).event
    try:
        response = surveys.submit_survey(
            member=member,
            event=event,
            answers=surveys.SurveyAnswers(payload.satisfaction, payload.recommend, payload.comment),
        )
    except ValidationError as error:
        raise _refusal(error) from None
    return SurveyOut(
        event_id=event.pk,
        satisfaction=response.satisfaction,
        recommend=response.recommend,
        comment=response.comment,
        updated_at=response.updated_at,
        closes_at=surveys.survey_closes_at(event),
    )
