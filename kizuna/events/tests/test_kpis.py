"""Event KPIs on a hand-built quarter whose answers are worked out by hand below."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kizuna.events.followup_models import SurveyResponse
from kizuna.events.kpis import Quarter, event_kpis, events_in_quarter, quarter_kpis
from kizuna.events.models import Attendance, Event, EventStatus, Registration
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

TOKYO = ZoneInfo("Asia/Tokyo")


def _event(month: int, day: int, status: str = EventStatus.PUBLISHED) -> Event:
    starts = datetime(2026, month, day, 19, tzinfo=TOKYO)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), status=status)


def _reg(
    event: Event,
    member: Member,
    status: str = "confirmed",
    attendance: str = Attendance.UNKNOWN,
    recommend: int | None = None,
) -> Registration:
    registration = RegistrationFactory(
        event=event, member=member, status=status, attendance=attendance
    )
    if recommend is not None:
        SurveyResponse.objects.create(
            registration=registration, satisfaction=4, recommend=recommend
        )
    return registration


@pytest.fixture
def quarter_two() -> dict[str, Event]:
    """Members a…h; Q2 of 2026 is April to June (site time zone).

    e0 (Feb, Q1): a attended.
    e1 (15 Apr): a attended (survey 10), b attended (9), c no-show, d confirmed but never
        marked, e cancelled, f waitlisted and let in at the door (attended, survey 6),
        g waitlisted and not let in.
    e2 (20 May): a attended (survey 8), b attended, c attended (survey 3), h no-show.
    e3 (1 Jun, cancelled): d "attended" — a cancelled event counts for nobody.
    e4 (10 Jul, Q3): b attended — after the quarter.
    """
    a, b, c, d, e, f, g, h = (MemberFactory() for _ in range(8))
    events = {
        "e0": _event(2, 10),
        "e1": _event(4, 15),
        "e2": _event(5, 20),
        "e3": _event(6, 1, status=EventStatus.CANCELLED),
        "e4": _event(7, 10),
    }
    _reg(events["e0"], a, attendance=Attendance.ATTENDED)
    e1 = events["e1"]
    _reg(e1, a, attendance=Attendance.ATTENDED, recommend=10)
    _reg(e1, b, attendance=Attendance.ATTENDED, recommend=9)
    _reg(e1, c, attendance=Attendance.NO_SHOW)
    _reg(e1, d)
    _reg(e1, e, status="cancelled")
    _reg(e1, f, status="waitlisted", attendance=Attendance.ATTENDED, recommend=6)
    _reg(e1, g, status="waitlisted")
    e2 = events["e2"]
    _reg(e2, a, attendance=Attendance.ATTENDED, recommend=8)
    _reg(e2, b, attendance=Attendance.ATTENDED)
    _reg(e2, c, attendance=Attendance.ATTENDED, recommend=3)
    _reg(e2, h, attendance=Attendance.NO_SHOW)
    _reg(events["e3"], d, attendance=Attendance.ATTENDED)
    _reg(events["e4"], b, attendance=Attendance.ATTENDED)
    return events


def test_one_event_counts_seats_held_at_the_start_and_who_came_back(
    quarter_two: dict[str, Event],
) -> None:
    kpis = event_kpis(quarter_two["e1"])
    # 7 registrations (a–g, the cancelled e included); confirmed at the start: a b c d, plus
    # f let in from the waitlist = 5; attended a b f = 3.
    assert (kpis.registrations, kpis.confirmed, kpis.attended) == (7, 5, 3)
    assert kpis.attendance_rate.percent == 60.0  # 3 / 5
    assert kpis.no_show_rate.percent == 40.0  # (5 − 3) / 5
    # a attended e0 before: repeat; b and f come for the first time.
    assert (kpis.repeat_attendees, kpis.first_timers) == (1, 2)
    assert kpis.repeat_rate.percent == 33.3  # 1 / 3
    # Scores 10, 9, 6: promoters 2, detractors 1 → (2 − 1) / 3 × 100 = 33.
    assert kpis.nps.score == 33


def test_second_event_of_the_quarter(quarter_two: dict[str, Event]) -> None:
    kpis = event_kpis(quarter_two["e2"])
    # a b c attended, h did not: 3 / 4 = 75 %, no-show 25 %.
    assert (kpis.attendance_rate.percent, kpis.no_show_rate.percent) == (75.0, 25.0)
    # a (e0, e1) and b (e1) had attended before; c is new.
    assert (kpis.repeat_attendees, kpis.first_timers) == (2, 1)
    # Scores 8 (passive) and 3 (detractor): (0 − 1) / 2 × 100 = −50.
    assert kpis.nps.score == -50


def test_quarter_counts_each_attendee_once(quarter_two: dict[str, Event]) -> None:
    kpis = quarter_kpis(Quarter(2026, 2))
    # e1 and e2 (e3 was cancelled, e0 and e4 fall outside).
    assert kpis.events == 2
    assert (kpis.registrations, kpis.confirmed, kpis.attended) == (11, 9, 6)  # 7+4, 5+4, 3+3
    assert kpis.attendance_rate.percent == 66.7  # 6 / 9
    assert kpis.no_show_rate.percent == 33.3  # 3 / 9
    # Attendees a b c f. Attended events up to the end of June: a 3 (e0 e1 e2), b 2 (e1 e2;
    # e4 is in July), c 1, f 1 → repeat a and b: 2 / 4 = 50 %. First attended event in the
    # quarter: b, c, f (a's first was e0 in Q1) → 3 first-timers.
    assert kpis.attendees == 4
    assert kpis.repeat_attendees == 2
    assert kpis.repeat_rate.percent == 50.0
    assert kpis.first_timers == 3
    # Scores 10 9 6 8 3: promoters 2, detractors 2 → 0.
    assert (kpis.nps.responses, kpis.nps.score) == (5, 0)


def test_an_empty_quarter_has_no_rates() -> None:
    kpis = quarter_kpis(Quarter(2025, 1))
    assert kpis.attendance_rate.percent is None
    assert kpis.repeat_rate.percent is None
    assert kpis.nps.score is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2026Q2", Quarter(2026, 2)), ("2026q4", Quarter(2026, 4)), ("2026Q5", None), ("Q1", None)],
)
def test_quarter_parses_its_own_name(text: str, expected: Quarter | None) -> None:
    assert Quarter.parse(text) == expected


def test_quarter_bounds_are_in_the_site_time_zone() -> None:
    quarter = Quarter(2026, 4)
    assert quarter.starts_at == datetime(2026, 10, 1, tzinfo=TOKYO)
    assert quarter.ends_at == datetime(2027, 1, 1, tzinfo=TOKYO)
    assert (quarter.previous, quarter.following) == (Quarter(2026, 3), Quarter(2027, 1))


def test_an_event_still_to_come_counts_for_nothing_in_its_quarter() -> None:
    # One minute ahead is in this quarter unless the quarter ends within that minute.
    starts = timezone.now() + timedelta(minutes=1)
    coming = EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))
    _reg(coming, MemberFactory())
    quarter = Quarter.of(timezone.localdate(starts))

    kpis = quarter_kpis(quarter)

    assert list(events_in_quarter(quarter)) == []
    assert (kpis.events, kpis.registrations, kpis.confirmed) == (0, 0, 0)
    assert kpis.no_show_rate.percent is None
