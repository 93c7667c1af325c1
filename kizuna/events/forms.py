"""Forms of the event pages: the staff event form, the registration form, attendance."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.core.forms import Form
from kizuna.events.models import Attendance, Event, EventFormat, SpeakerKind
from kizuna.events.services import (
    MAX_ANSWER_LENGTH,
    MAX_QUESTIONS,
    EventDetails,
    SpeakerDetails,
)
from kizuna.gamification.models import Level
from kizuna.identity.models import Interest, Member

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
REQUIRED_MARK = "*"


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; values are read in the member's time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class LevelChoiceField(forms.ModelChoiceField[Level]):
    def label_from_instance(self, obj: Level) -> str:
        return obj.name_ja if obj.name_ja else obj.name_en


class MemberChoiceField(forms.ModelChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name} <{obj.email}>"


def questions_from_text(text: str) -> tuple[dict[str, Any], ...]:
    """One question a line; a line starting with * is a question that must be answered."""
    questions = []
    for line in text.splitlines():
        label = line.strip()
        required = label.startswith(REQUIRED_MARK)
        label = label.removeprefix(REQUIRED_MARK).strip()
        if label:
            questions.append({"label": label[:200], "required": required})
    return tuple(questions)


def questions_to_text(questions: list[dict[str, Any]]) -> str:
    return "\n".join(
        (REQUIRED_MARK if question.get("required") else "") + str(question.get("label", ""))
        for question in questions
    )


class EventForm(Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        max_length=20000,
        help_text=_("Markdown. Say who the event is for and what participants will take away."),
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=EventFormat.choices, widget=forms.RadioSelect
    )
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    online_capacity = forms.IntegerField(
        label=_("Online seats"), min_value=0, max_value=100_000, initial=0
    )
    in_person_capacity = forms.IntegerField(
        label=_("In-person seats"),
        min_value=0,
        max_value=100_000,
        initial=0,
        help_text=_("A hybrid event has both: online seats plus premium in-person seats."),
    )
    venue_name = forms.CharField(label=_("Venue"), max_length=200, required=False)
    venue_address = forms.CharField(label=_("Venue address"), max_length=300, required=False)
    map_url = forms.URLField(
        label=_("Map link"), max_length=500, required=False, assume_scheme="https"
    )
    online_url = forms.URLField(
        assume_scheme="https",
        label=_("Online meeting link"),
        max_length=500,
        required=False,
        help_text=_("Only confirmed registrants see this link."),
    )
    tags = forms.ModelMultipleChoiceField(
        label=_("Challenge tags"),
        queryset=Interest.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_level = LevelChoiceField(
        label=_("Target level"),
        queryset=Level.objects.all(),
        required=False,
        empty_label=_("Everyone"),
    )
    facilitator = MemberChoiceField(
        label=_("Facilitator"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("No facilitator"),
    )
    registration_questions = forms.CharField(
        label=_("Registration questions"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=4000,
        help_text=_("One question a line. Start a line with * to make the answer required."),
    )

    def __init__(self, *args: Any, facilitators: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if facilitators is not None:
            self.fields["facilitator"].queryset = facilitators  # type: ignore[attr-defined]

    def clean_registration_questions(self) -> tuple[dict[str, Any], ...]:
        questions = questions_from_text(self.cleaned_data.get("registration_questions") or "")
        if len(questions) > MAX_QUESTIONS:
            raise forms.ValidationError(
                _("Ask at most %(most)s questions."), params={"most": MAX_QUESTIONS}
            )
        return questions

    def details(self) -> EventDetails:
        data = self.cleaned_data
        return EventDetails(
            title=data["title"],
            description=data["description"],
            format=data["format"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            online_capacity=data["online_capacity"],
            in_person_capacity=data["in_person_capacity"],
            venue_name=data["venue_name"],
            venue_address=data["venue_address"],
            map_url=data["map_url"],
            online_url=data["online_url"],
            target_level=data["target_level"],
            facilitator=data["facilitator"],
            registration_questions=data["registration_questions"],
            tags=tuple(data["tags"]),
        )

    @staticmethod
    def initial_for(event: Event) -> dict[str, Any]:
        return {
            "title": event.title,
            "description": event.description,
            "format": event.format,
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "online_capacity": event.online_capacity,
            "in_person_capacity": event.in_person_capacity,
            "venue_name": event.venue_name,
            "venue_address": event.venue_address,
            "map_url": event.map_url,
            "online_url": event.online_url,
            "tags": list(event.tags.all()),
            "target_level": event.target_level,
            "facilitator": event.facilitator,
            "registration_questions": questions_to_text(event.registration_questions),
        }


class RegistrationForm(Form):
    """The seat kinds the event offers, and one field per registration question."""

    seat = forms.ChoiceField(label=_("Seat"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        seat_field = self.fields["seat"]
        assert isinstance(seat_field, forms.ChoiceField)
        seat_field.choices = [(seat.value, seat.label) for seat in event.seat_kinds]
        if len(event.seat_kinds) == 1:
            seat_field.initial = event.seat_kinds[0].value
            seat_field.widget = forms.HiddenInput()
        for index, question in enumerate(event.registration_questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=str(question.get("label", "")),
                required=bool(question.get("required")),
                max_length=MAX_ANSWER_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def answers(self) -> dict[str, str]:
        return {
            name.removeprefix("answer_"): str(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("answer_") and value
        }


class AttendanceForm(Form):
    attendance = forms.ChoiceField(
        choices=[
            (Attendance.ATTENDED.value, Attendance.ATTENDED.label),
            (Attendance.NO_SHOW.value, Attendance.NO_SHOW.label),
            (Attendance.UNKNOWN.value, Attendance.UNKNOWN.label),
        ]
    )


class SpeakerForm(Form):
    kind = forms.ChoiceField(label=_("Kind of speaker"), choices=SpeakerKind.choices)
    member = MemberChoiceField(
        label=_("Member"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("Not a member"),
    )
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        required=False,
        help_text=_("For an external expert; a member's name comes from their profile."),
    )
    job_title = forms.CharField(label=_("Job title"), max_length=120, required=False)
    company = forms.CharField(label=_("Company"), max_length=120, required=False)
    talk_title = forms.CharField(label=_("Talk title"), max_length=200, required=False)

    def __init__(self, *args: Any, members: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members  # type: ignore[attr-defined]

    def details(self) -> SpeakerDetails:
        data = self.cleaned_data
        return SpeakerDetails(
            kind=data["kind"],
            member=data["member"],
            name=data["name"],
            job_title=data["job_title"],
            company=data["company"],
            talk_title=data["talk_title"],
        )
