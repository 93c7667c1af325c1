"""Attending and speaking pay points once, and the events badges are awarded from attendance."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from kizuna.activity.models import Activity, Verb
from kizuna.badges.models import BadgeAward
from kizuna.events.models import Attendance, Event, EventSpeaker
from kizuna.events.recognition import recognise_activity
from kizuna.events.services import mark_attendance
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.gamification.models import LedgerEntry
from kizuna.gamification.services import recompute_points, reverse_stale_awards
from kizuna.identity.models import Member
from kizuna.identity.tests.factories import MemberFactory, StaffFactory

pytestmark = pytest.mark.django_db


def _past_event(**fields: Any) -> Event:
    starts = timezone.now() - timedelta(days=1)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2), **fields)


def _mark(capture: Any, staff: Member, event: Event, member: Member, attendance: str) -> None:
    registration = RegistrationFactory(event=event, member=member)
    with capture(execute=True):
        mark_attendance(
            actor=staff, event=event, registration_id=registration.pk, attendance=attendance
        )


def _points(member: Member, rule_key: str) -> list[int]:
    return list(
        LedgerEntry.objects.filter(member=member, rule__key=rule_key).values_list(
            "amount", flat=True
        )
    )


def test_attending_pays_the_event_attended_rule_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff, member, event = StaffFactory(), MemberFactory(), _past_event()
    _mark(django_capture_on_commit_callbacks, staff, event, member, Attendance.ATTENDED)
    activity = Activity.objects.get(actor=member, verb=Verb.ATTENDED)

    recognise_activity(activity_id=activity.pk)  # a redelivered task

    assert _points(member, "event_attended") == [20]


def test_a_no_show_earns_nothing(django_capture_on_commit_callbacks: Any) -> None:
    staff, member, event = StaffFactory(), MemberFactory(), _past_event()
    _mark(django_capture_on_commit_callbacks, staff, event, member, Attendance.NO_SHOW)
    assert not LedgerEntry.objects.filter(member=member).exists()


def test_a_member_speaker_who_attends_earns_for_attending_and_for_speaking(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff, speaker, event = StaffFactory(), MemberFactory(), _past_event()
    EventSpeaker.objects.create(event=event, member=speaker, talk_title="導入初月の壁")
    _mark(django_capture_on_commit_callbacks, staff, event, speaker, Attendance.ATTENDED)

    assert _points(speaker, "event_attended") == [20]
    assert _points(speaker, "event_spoke") == [50]
    assert BadgeAward.objects.filter(member=speaker, badge__criterion="speaker").exists()


def test_attendance_taken_back_before_the_task_runs_pays_nothing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff, member, event = StaffFactory(), MemberFactory(), _past_event()
    registration = RegistrationFactory(event=event, member=member)
    mark_attendance(
        actor=staff, event=event, registration_id=registration.pk, attendance=Attendance.ATTENDED
    )
    mark_attendance(
        actor=staff, event=event, registration_id=registration.pk, attendance=Attendance.NO_SHOW
    )
    activity = Activity.objects.get(actor=member, verb=Verb.ATTENDED)

    recognise_activity(activity_id=activity.pk)

    assert not LedgerEntry.objects.filter(member=member).exists()


def test_the_fifth_attended_event_awards_the_events_badge(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff, member = StaffFactory(), MemberFactory()
    for _ in range(4):
        _mark(django_capture_on_commit_callbacks, staff, _past_event(), member, "attended")
    assert not BadgeAward.objects.filter(member=member, badge__criterion="events_attended_5")

    _mark(django_capture_on_commit_callbacks, staff, _past_event(), member, "attended")

    assert BadgeAward.objects.filter(member=member, badge__criterion="events_attended_5").exists()
    assert sum(_points(member, "event_attended")) == 5 * 20


def test_gamification_sweeps_leave_event_points_alone(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff, member = StaffFactory(), MemberFactory()
    _mark(django_capture_on_commit_callbacks, staff, _past_event(), member, "attended")

    reverse_stale_awards()
    recompute_points(dry_run=False)

    assert sum(LedgerEntry.objects.filter(member=member).values_list("amount", flat=True)) == 20
