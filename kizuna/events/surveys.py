"""The post-event survey: satisfaction 1–5, likelihood to recommend 0–10 (NPS) and a comment.

One response per attended registration. It opens when the event starts (attendance is taken
at the door) and closes `SURVEY_OPEN_FOR` after the event ends; until then the attendee may
change their answers, and submitting again updates the one response.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kizuna.events.followup_models import (
    NPS_MAX,
    NPS_MIN,
    SATISFACTION_MAX,
    SATISFACTION_MIN,
    SurveyResponse,
)
from kizuna.events.models import Attendance, Event, EventStatus, Registration, RegistrationStatus
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in

SURVEY_OPEN_FOR = timedelta(days=14)
MAX_COMMENT_LENGTH = 2000


@dataclass(frozen=True)
class SurveyAnswers:
    satisfaction: int
    recommend: int
    comment: str = ""


def survey_closes_at(event: Event) -> datetime:
    return event.ends_at + SURVEY_OPEN_FOR


def survey_is_open(event: Event, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return event.status == EventStatus.PUBLISHED and event.starts_at <= now < survey_closes_at(
        event
    )


def attended_registration(viewer: Viewer, event: Event) -> Registration | None:
    """The viewer's registration if they were marked attended: the one survey they may answer."""
    if not is_signed_in(viewer):
        return None
    return (
        Registration.objects.filter(
            event=event, member_id=viewer.pk, attendance=Attendance.ATTENDED
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )


def can_answer_survey(viewer: Viewer, event: Event) -> bool:
    """An attendee, while the survey is open."""
    return survey_is_open(event) and attended_registration(viewer, event) is not None


def response_of(registration: Registration | None) -> SurveyResponse | None:
    if registration is None:
        return None
    return SurveyResponse.objects.filter(registration=registration).first()


def _clean(answers: SurveyAnswers) -> SurveyAnswers:
    errors: dict[str, str] = {}
    if not SATISFACTION_MIN <= answers.satisfaction <= SATISFACTION_MAX:
        errors["satisfaction"] = _("Choose how satisfied you were, from 1 to 5.")
    if not NPS_MIN <= answers.recommend <= NPS_MAX:
        errors["recommend"] = _("Choose how likely you are to recommend it, from 0 to 10.")
    comment = answers.comment.strip()
    if len(comment) > MAX_COMMENT_LENGTH:
        errors["comment"] = _("Keep the comment under %(limit)s characters.") % {
            "limit": MAX_COMMENT_LENGTH
        }
    if errors:
        raise ValidationError(errors)
    return SurveyAnswers(answers.satisfaction, answers.recommend, comment)


def submit_survey(*, member: Member, event: Event, answers: SurveyAnswers) -> SurveyResponse:
    """Save the attendee's answers (a first answer or a change); refused to anyone who was not
    marked attended and once the survey has closed."""
    answers = _clean(answers)
    with transaction.atomic():
        registration = attended_registration(member, event)
        if registration is None:
            raise ValidationError(
                _("Only people who attended this event can answer its survey."),
                code="not_attended",
            )
        # Locked so two submissions at once update the one response instead of racing to insert.
        Registration.objects.select_for_update().filter(pk=registration.pk).first()
        if not survey_is_open(event):
            raise ValidationError(_("The survey for this event has closed."), code="survey_closed")
        response, _created = SurveyResponse.objects.update_or_create(
            registration=registration,
            defaults={
                "satisfaction": answers.satisfaction,
                "recommend": answers.recommend,
                "comment": answers.comment,
            },
        )
    return response
