"""The post-event survey: attendees only, one response each, editable until it closes."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from kizuna.events.followup_models import SurveyResponse
from kizuna.events.models import Attendance, Event
from kizuna.events.surveys import SURVEY_OPEN_FOR, SurveyAnswers, submit_survey
from kizuna.events.tests.factories import EventFactory, RegistrationFactory
from kizuna.identity.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _ended(ago: timedelta = timedelta(hours=1)) -> Event:
    ends = timezone.now() - ago
    return EventFactory(starts_at=ends - timedelta(hours=2), ends_at=ends)


def test_an_attendee_answers_and_then_changes_their_answers() -> None:
    event = _ended()
    registration = RegistrationFactory(event=event, attendance=Attendance.ATTENDED)
    submit_survey(
        member=registration.member,
        event=event,
        answers=SurveyAnswers(3, 6, " もう少し時間が欲しい "),
    )
    submit_survey(member=registration.member, event=event, answers=SurveyAnswers(5, 10))

    response = SurveyResponse.objects.get()
    assert (response.registration, response.satisfaction, response.recommend) == (
        registration,
        5,
        10,
    )
    assert response.comment == ""


def test_a_no_show_cannot_answer() -> None:
    event = _ended()
    registration = RegistrationFactory(event=event, attendance=Attendance.NO_SHOW)
    with pytest.raises(ValidationError) as refused:
        submit_survey(member=registration.member, event=event, answers=SurveyAnswers(4, 8))
    assert refused.value.code == "not_attended"


def test_someone_who_never_registered_cannot_answer() -> None:
    with pytest.raises(ValidationError):
        submit_survey(member=MemberFactory(), event=_ended(), answers=SurveyAnswers(4, 8))
    assert not SurveyResponse.objects.exists()


def test_the_survey_closes_after_its_window() -> None:
    event = _ended(ago=SURVEY_OPEN_FOR + timedelta(minutes=1))
    registration = RegistrationFactory(event=event, attendance=Attendance.ATTENDED)
    with pytest.raises(ValidationError) as refused:
        submit_survey(member=registration.member, event=event, answers=SurveyAnswers(4, 8))
    assert refused.value.code == "survey_closed"


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        (SurveyAnswers(0, 5), "satisfaction"),
        (SurveyAnswers(6, 5), "satisfaction"),
        (SurveyAnswers(3, 11), "recommend"),
        (SurveyAnswers(3, -1), "recommend"),
        (SurveyAnswers(3, 5, "あ" * 2001), "comment"),
    ],
)
def test_answers_out_of_range_are_refused_with_the_field(
    answers: SurveyAnswers, field: str
) -> None:
    event = _ended()
    registration = RegistrationFactory(event=event, attendance=Attendance.ATTENDED)
    with pytest.raises(ValidationError) as refused:
        submit_survey(member=registration.member, event=event, answers=answers)
    assert field in refused.value.message_dict
    assert not SurveyResponse.objects.exists()
