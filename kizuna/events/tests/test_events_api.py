"""The events API: what the caller may see, registering, their registrations, check-in, survey."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kizuna.events.checkin import checkin_code
from kizuna.events.followup_models import SurveyResponse
from kizuna.events.models import Attendance, Event, Registration
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.models import ApiKey, Member
from kizuna.identity.services import generate_api_key_secret
from kizuna.identity.tests.factories import MemberFactory, StaffFactory
from kizuna.spaces.models import AccessType
from kizuna.spaces.tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


class Caller:
    """A signed-in member calling the API from the browser (session cookie); staff use a key."""

    def __init__(self, member: Member) -> None:
        Member.objects.filter(pk=member.pk).update(language="en")
        self.client = Client()
        if member.is_staff_member:
            prefix, secret = generate_api_key_secret()
            ApiKey.objects.create(
                name="test",
                prefix=prefix,
                key_hash=ApiKey.hash_secret(secret),
                scopes=list(ApiKey.Scope.values),
                created_by=member,
            )
            self.client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
        else:
            self.client.force_login(member)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body) if body is not None else ""
        return self.client.generic(method, path, data, content_type="application/json")


def _past() -> Event:
    starts = timezone.now() - timedelta(hours=3)
    return EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=2))


def test_the_list_holds_only_events_the_caller_may_see() -> None:
    visible = EventFactory(title="公開勉強会")
    EventFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    EventFactory(status="draft")

    body = Caller(MemberFactory()).call("GET", "/api/events").json()

    assert [item["id"] for item in body["items"]] == [visible.pk]
    assert (body["count"], body["has_more"]) == (1, False)


def test_a_hidden_event_is_the_same_404_as_a_missing_one() -> None:
    hidden = EventFactory(space=SpaceFactory(access_type=AccessType.PRIVATE))
    caller = Caller(MemberFactory())
    assert caller.call("GET", f"/api/events/{hidden.pk}").status_code == 404
    assert caller.call("GET", "/api/events/999999").status_code == 404


def test_registering_shows_the_online_link_and_cancelling_gives_the_seat_back() -> None:
    event = EventFactory(online_capacity=1)
    member = MemberFactory()
    caller = Caller(member)
    assert caller.call("GET", f"/api/events/{event.pk}").json()["online_url"] is None

    registered = caller.call("PUT", f"/api/events/{event.pk}/registration", {"seat": "online"})
    detail = caller.call("GET", f"/api/events/{event.pk}").json()

    assert registered.status_code == 200
    assert registered.json()["status"] == "confirmed"
    assert detail["online_url"] == event.online_url
    assert detail["seats_left"] == {"online": 0}
    cancelled = caller.call("DELETE", f"/api/events/{event.pk}/registration")
    assert cancelled.json()["status"] == "cancelled"
    assert caller.call("GET", f"/api/events/{event.pk}").json()["seats_left"] == {"online": 1}


def test_a_seat_kind_the_event_does_not_offer_is_a_409() -> None:
    event = EventFactory()
    response = Caller(MemberFactory()).call(
        "PUT", f"/api/events/{event.pk}/registration", {"seat": "in_person"}
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "wrong_seat"


def test_my_registrations_are_only_mine() -> None:
    member = MemberFactory()
    mine = RegistrationFactory(member=member)
    RegistrationFactory()
    body = Caller(member).call("GET", "/api/event-registrations").json()
    assert [item["id"] for item in body["items"]] == [mine.pk]
    assert body["items"][0]["member"] == {"id": member.pk, "name": member.name}


def test_staff_check_a_registrant_in_by_code_once() -> None:
    registration = RegistrationFactory()
    staff = Caller(StaffFactory())
    code = checkin_code(registration)

    first = staff.call("POST", f"/api/events/{registration.event_id}/check-in", {"code": code})
    second = staff.call("POST", f"/api/events/{registration.event_id}/check-in", {"code": code})

    assert first.status_code == 200
    assert (first.json()["already_checked_in"], second.json()["already_checked_in"]) == (
        False,
        True,
    )
    registration.refresh_from_db()
    assert registration.attendance == Attendance.ATTENDED


def test_a_member_cannot_check_anyone_in() -> None:
    registration = RegistrationFactory()
    response = Caller(MemberFactory()).call(
        "POST",
        f"/api/events/{registration.event_id}/check-in",
        {"code": checkin_code(registration)},
    )
    assert response.status_code == 409
    assert Registration.objects.get().attendance == Attendance.UNKNOWN


def test_an_attendee_answers_the_survey_and_a_no_show_is_refused() -> None:
    event = _past()
    attendee = RegistrationFactory(event=event, attendance=Attendance.ATTENDED).member
    no_show = RegistrationFactory(event=event, attendance=Attendance.NO_SHOW).member
    answers = {"satisfaction": 5, "recommend": 9, "comment": "次回も参加します"}

    answered = Caller(attendee).call("PUT", f"/api/events/{event.pk}/survey", answers)
    refused = Caller(no_show).call("PUT", f"/api/events/{event.pk}/survey", answers)

    assert answered.status_code == 200
    assert answered.json()["recommend"] == 9
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "not_attended")
    assert SurveyResponse.objects.count() == 1


def test_survey_answers_out_of_range_are_a_422() -> None:
    event = _past()
    attendee = RegistrationFactory(event=event, attendance=Attendance.ATTENDED).member
    response = Caller(attendee).call(
        "PUT", f"/api/events/{event.pk}/survey", {"satisfaction": 6, "recommend": 9}
    )
    assert response.status_code == 422
