"""Shapes of the events API: events, registrations, check-in and the post-event survey."""

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

from kizuna.core.api_pagination import PageMeta
from kizuna.events.followup_models import NPS_MAX, NPS_MIN, SATISFACTION_MAX, SATISFACTION_MIN
from kizuna.events.surveys import MAX_COMMENT_LENGTH
from kizuna.identity.schemas import MemberRefOut

EventFormatValue = Literal["online", "offline", "hybrid"]
EventStatusValue = Literal["draft", "published", "cancelled"]
SeatKindValue = Literal["online", "in_person"]
RegistrationStatusValue = Literal["confirmed", "waitlisted", "cancelled"]
AttendanceValue = Literal["unknown", "attended", "no_show"]
EventWhen = Literal["upcoming", "past"]


class SpaceRefOut(Schema):
    slug: str
    name: str


class SpeakerOut(Schema):
    member: MemberRefOut | None = Field(description="Null for an external expert.")
    name: str = Field(description="The member's name, or the external expert's.")
    job_title: str
    company: str
    kind: Literal["member", "leader", "external"]
    talk_title: str


class EventOut(Schema):
    id: int
    title: str
    space: SpaceRefOut
    format: EventFormatValue
    status: EventStatusValue
    starts_at: datetime
    ends_at: datetime
    time_zone: str = Field(description="The zone the organisers plan in (IANA name).")
    online_capacity: int
    in_person_capacity: int
    venue_name: str
    venue_address: str
    map_url: str
    tags: list[str] = Field(description="Challenge tags (課題).")
    target_level: str | None = Field(description="The level the event is pitched at, if any.")
    facilitator: MemberRefOut | None


class MyRegistrationOut(Schema):
    id: int
    seat: SeatKindValue
    status: RegistrationStatusValue
    waitlist_position: int | None = Field(description="1 is next in line; null unless waitlisted.")
    attendance: AttendanceValue


class EventDetailOut(EventOut):
    description_html: str = Field(description="The description, rendered and sanitised.")
    online_url: str | None = Field(
        description="Only for confirmed registrants and those who run the event; null otherwise."
    )
    seats_left: dict[str, int] = Field(description="Free seats per seat kind the event offers.")
    registration_questions: list[str]
    speakers: list[SpeakerOut]
    discussion_post_id: int | None = Field(description="The event's thread in its space, if any.")
    my_registration: MyRegistrationOut | None


class EventPageOut(PageMeta):
    items: list[EventOut]


class EventRefOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime


class RegistrationOut(Schema):
    id: int
    event: EventRefOut
    member: MemberRefOut
    seat: SeatKindValue
    status: RegistrationStatusValue
    waitlist_position: int | None
    attendance: AttendanceValue
    checked_in_at: datetime | None
    created_at: datetime


class RegistrationPageOut(PageMeta):
    items: list[RegistrationOut]


class RegisterIn(Schema):
    seat: SeatKindValue
    answers: dict[str, str] = Field(
        default_factory=dict,
        description='Answers to the registration questions by position: {"0": "…"}.',
    )


class CheckInIn(Schema):
    code: str = Field(min_length=1, max_length=500, description="The code of the member's QR.")


class CheckInOut(Schema):
    registration: RegistrationOut
    already_checked_in: bool = Field(description="True when the code was scanned before.")


class SurveyIn(Schema):
    satisfaction: int = Field(ge=SATISFACTION_MIN, le=SATISFACTION_MAX)
    recommend: int = Field(
        ge=NPS_MIN, le=NPS_MAX, description="How likely to recommend the event (the NPS question)."
    )
    comment: str = Field("", max_length=MAX_COMMENT_LENGTH)


class SurveyOut(Schema):
    event_id: int
    satisfaction: int
    recommend: int
    comment: str
    updated_at: datetime
    closes_at: datetime = Field(description="Answers can be changed until then.")
