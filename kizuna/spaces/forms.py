"""Forms of the spaces pages: they parse input only; the services hold every rule."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.forms import Form
from kizuna.spaces.models import AccessType, Space, SpaceRole

MAX_QUESTION_LINES = 20


class SpaceFilterForm(Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("All types")), *AccessType.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": _("Space name")}
        )


class SpaceForm(Form):
    """Create or edit a space; the service cleans and validates the values."""

    # Name, purpose and rules are checked by the service, which explains what each is for.
    name = forms.CharField(label=_("Name"), max_length=120, required=False)
    slug = forms.CharField(
        label=pgettext_lazy("web address", "Address"),
        max_length=80,
        required=False,
        help_text=_(
            "Letters, numbers and hyphens, used in the page address. Left empty, it is made from the name."
        ),
    )
    access_type = forms.ChoiceField(
        label=_("Who may join"),
        choices=AccessType.choices,
        widget=forms.RadioSelect,
        initial=AccessType.OPEN,
    )
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown to everyone, also before they join."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Shown only to people who can see the space's content."),
    )
    rules = forms.CharField(
        label=_("Rules"), max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    join_questions = forms.CharField(
        label=_("Questions for applicants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question per line. Used by spaces that people join by application."),
    )
    color = forms.CharField(
        label=_("Colour"),
        max_length=7,
        initial="#2f5d8a",
        widget=forms.TextInput(attrs={"type": "color"}),
    )
    icon = forms.CharField(
        label=_("Icon"), max_length=4, required=False, help_text=_("One emoji or character")
    )
    parent = forms.ModelChoiceField(
        label=_("Parent space"),
        queryset=Space.objects.none(),
        required=False,
        empty_label=_("None (a top-level space)"),
        help_text=_("Choose a parent to make this a sub-group."),
    )

    def __init__(self, *args: Any, with_parent: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if with_parent:
            parent_field = self.fields["parent"]
            assert isinstance(parent_field, forms.ModelChoiceField)
            parent_field.queryset = Space.objects.filter(
                parent__isnull=True, archived_at__isnull=True
            ).order_by("name")
        else:
            del self.fields["parent"]

    def clean_join_questions(self) -> list[str]:
        text = self.cleaned_data.get("join_questions") or ""
        lines = [line.strip() for line in str(text).splitlines() if line.strip()]
        if len(lines) > MAX_QUESTION_LINES:
            raise ValidationError(_("Ask fewer questions."))
        return lines

    def service_fields(self) -> dict[str, Any]:
        """The cleaned values as the create/update services take them."""
        return dict(self.cleaned_data)

    @staticmethod
    def initial_for(space: Space) -> dict[str, Any]:
        return {
            "name": space.name,
            "slug": space.slug,
            "access_type": space.access_type,
            "purpose": space.purpose,
            "description": space.description,
            "rules": space.rules,
            "join_questions": "\n".join(str(q) for q in space.join_questions),
            "color": space.color,
            "icon": space.icon,
            "parent": space.parent_id,
        }


class ApplyForm(Form):
    """One answer field per question of the space; fields are named answer_0, answer_1 … as the service reports errors."""

    def __init__(self, *args: Any, questions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for index, question in enumerate(questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question,
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def answers(self) -> list[str]:
        return [
            str(self.cleaned_data.get(f"answer_{index}") or "")
            for index in range(len(self.questions))
        ]


class InvitationForm(Form):
    email = forms.CharField(
        label=_("Email address"),
        max_length=254,
        error_messages={"required": _("Enter the email address of the person to invite.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    message = forms.CharField(
        label=_("Message (optional)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    reason = forms.CharField(
        label=_("Reason (told to the applicant)"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    @property
    def approves(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"


class RoleForm(Form):
    role = forms.ChoiceField(label=_("Role"), choices=SpaceRole.choices)


class RemoveMemberForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Recorded in the audit log."),
    )
