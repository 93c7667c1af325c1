"""Event KPIs per event and per quarter (S8, DOMAIN §6), read by the staff KPI page.

Definitions, the same per event and per quarter:
- registrations: every registration made, including those later cancelled;
- confirmed: registrations holding a seat when the event started (confirmed, or let in from
  the waitlist and marked attended);
- attendance rate = attended ÷ confirmed; no-show rate = (confirmed − attended) ÷ confirmed;
- attendees are counted once per member in a quarter; a repeat attendee had attended an
  earlier event (DOMAIN §6), so in a quarter it is an attendee with at least two attended
  events up to the quarter's end; a first-timer's first attended event is the one (or in the
  quarter) counted; repeat participation rate = repeat attendees ÷ attendees;
- NPS = (promoters 9–10 − detractors 0–6) ÷ survey responses × 100, rounded to a whole number.

Only published events that have started count (a cancelled event has no attendance, and one
still to come would read as all no-shows). Tier-1 account attendance
needs the touch tiers of the customer-success capability (issue 12) and is not computed here.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from kizuna.events.followup_models import SurveyResponse
from kizuna.events.models import Attendance, Event, EventStatus, Registration, RegistrationStatus

PROMOTER_FROM = 9
DETRACTOR_UP_TO = 6


@dataclass(frozen=True)
class Rate:
    """A share shown with what it is made of; no percentage when there is nothing to divide."""

    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return round(self.part * 100 / self.whole, 1) if self.whole else None


@dataclass(frozen=True)
class Nps:
    promoters: int
    detractors: int
    responses: int

    @property
    def score(self) -> int | None:
        if not self.responses:
            return None
        return round((self.promoters - self.detractors) * 100 / self.responses)


@dataclass(frozen=True)
class _Turnout:
    registrations: int
    confirmed: int
    # Registrations marked attended (per event, the same as its attendees).
    attended: int
    first_timers: int
    repeat_attendees: int
    nps: Nps

    @property
    def attendance_rate(self) -> Rate:
        return Rate(self.attended, self.confirmed)

    @property
    def no_show_rate(self) -> Rate:
        return Rate(max(self.confirmed - self.attended, 0), self.confirmed)


@dataclass(frozen=True)
class EventKpis(_Turnout):
    @property
    def repeat_rate(self) -> Rate:
        return Rate(self.repeat_attendees, self.attended)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter | None":
        """ "2026Q3" → Quarter(2026, 3); None for anything else."""
        year, _, number = text.upper().partition("Q")
        if not (year.isdigit() and number in {"1", "2", "3", "4"} and 2000 <= int(year) <= 2100):
            return None
        return cls(int(year), int(number))

    def __str__(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def starts_at(self) -> datetime:
        return datetime(self.year, 3 * self.number - 2, 1, tzinfo=_site_zone())

    @property
    def ends_at(self) -> datetime:
        if self.number == 4:
            return datetime(self.year + 1, 1, 1, tzinfo=_site_zone())
        return datetime(self.year, 3 * self.number + 1, 1, tzinfo=_site_zone())

    @property
    def previous(self) -> "Quarter":
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @property
    def following(self) -> "Quarter":
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )


@dataclass(frozen=True)
class QuarterKpis(_Turnout):
    quarter: Quarter
    events: int
    # Members counted once however many events of the quarter they attended.
    attendees: int

    @property
    def repeat_rate(self) -> Rate:
        return Rate(self.repeat_attendees, self.attendees)


def _site_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _held() -> Q:
    return Q(event__status=EventStatus.PUBLISHED)


def _confirmed() -> Q:
    return Q(status=RegistrationStatus.CONFIRMED) | Q(
        attendance=Attendance.ATTENDED, status=RegistrationStatus.WAITLISTED
    )


def _attended_rows() -> QuerySet[Registration]:
    return Registration.objects.filter(_held(), attendance=Attendance.ATTENDED).exclude(
        status=RegistrationStatus.CANCELLED
    )


def _nps(responses: Iterable[int]) -> Nps:
    scores = list(responses)
    return Nps(
        promoters=sum(score >= PROMOTER_FROM for score in scores),
        detractors=sum(score <= DETRACTOR_UP_TO for score in scores),
        responses=len(scores),
    )


def kpis_for_events(events: Iterable[Event]) -> dict[int, EventKpis]:
    """Each event's KPIs by id, in a handful of queries for the whole list."""
    event_ids = [event.pk for event in events]
    counts = {
        row["event_id"]: row
        for row in Registration.objects.filter(event_id__in=event_ids)
        .values("event_id")
        .annotate(
            registrations=Count("id"),
            confirmed=Count("id", filter=_confirmed()),
        )
    }
    earlier = _attended_rows().filter(
        member_id=OuterRef("member_id"), event__starts_at__lt=OuterRef("event__starts_at")
    )
    attended: dict[int, list[bool]] = {event_id: [] for event_id in event_ids}
    for event_id, is_repeat in (
        _attended_rows()
        .filter(event_id__in=event_ids)
        .annotate(is_repeat=Exists(earlier))
        .values_list("event_id", "is_repeat")
    ):
        attended[event_id].append(is_repeat)
    recommend: dict[int, list[int]] = {event_id: [] for event_id in event_ids}
    for event_id, score in SurveyResponse.objects.filter(
        registration__event_id__in=event_ids
    ).values_list("registration__event_id", "recommend"):
        recommend[event_id].append(score)
    result = {}
    for event_id in event_ids:
        row = counts.get(event_id, {})
        repeats = attended[event_id]
        result[event_id] = EventKpis(
            registrations=row.get("registrations", 0),
            confirmed=row.get("confirmed", 0),
            attended=len(repeats),
            first_timers=repeats.count(False),
            repeat_attendees=repeats.count(True),
            nps=_nps(recommend[event_id]),
        )
    return result


def event_kpis(event: Event) -> EventKpis:
    return kpis_for_events([event])[event.pk]


def _held_by(quarter: Quarter) -> datetime:
    """The end of what has been held of the quarter: its end, or now while it runs."""
    return min(quarter.ends_at, timezone.now())


def events_in_quarter(quarter: Quarter) -> QuerySet[Event]:
    """Published events that started in the quarter (site time zone), newest first."""
    return (
        Event.objects.filter(
            status=EventStatus.PUBLISHED,
            starts_at__gte=quarter.starts_at,
            starts_at__lt=_held_by(quarter),
        )
        .select_related("space")
        .order_by("-starts_at", "-id")
    )


def quarter_kpis(quarter: Quarter) -> QuarterKpis:
    in_quarter = Q(
        event__status=EventStatus.PUBLISHED,
        event__starts_at__gte=quarter.starts_at,
        event__starts_at__lt=_held_by(quarter),
    )
    registrations = Registration.objects.filter(in_quarter).aggregate(
        registrations=Count("id"), confirmed=Count("id", filter=_confirmed())
    )
    attended_in_quarter = _attended_rows().filter(in_quarter)
    attendee_ids = set(attended_in_quarter.values_list("member_id", flat=True))
    # Up to the quarter's end: an attendee with two attended events had one earlier than the
    # last; one whose first attended event falls in the quarter is a first-timer.
    history = (
        _attended_rows()
        .filter(member_id__in=attendee_ids, event__starts_at__lt=quarter.ends_at)
        .values("member_id")
        .annotate(events=Count("event_id", distinct=True), first=Min("event__starts_at"))
    )
    repeat = sum(row["events"] >= 2 for row in history)
    first_timers = sum(row["first"] >= quarter.starts_at for row in history)
    scores = SurveyResponse.objects.filter(
        registration__event__status=EventStatus.PUBLISHED,
        registration__event__starts_at__gte=quarter.starts_at,
        registration__event__starts_at__lt=_held_by(quarter),
    ).values_list("recommend", flat=True)
    return QuarterKpis(
        registrations=registrations["registrations"],
        confirmed=registrations["confirmed"],
        attended=attended_in_quarter.count(),
        first_timers=first_timers,
        repeat_attendees=repeat,
        nps=_nps(scores),
        quarter=quarter,
        events=events_in_quarter(quarter).count(),
        attendees=len(attendee_ids),
    )
