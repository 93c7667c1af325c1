"""Forms of the moderation pages: they parse input only; the services hold every rule."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.forms import Form
from kizuna.moderation.models import BlockedTerm, FlagReason, ReviewItem
from kizuna.spaces.models import Space

KIND_CHOICES = [
    ("", _("All kinds")),
    ("post", _("Posts")),
    ("answer", _("Answers")),
    ("comment", pgettext_lazy("kind of content", "Comments")),
]
STATUS_CHOICES = [
    ("pending", _("Waiting for review")),
    (ReviewItem.Status.RESUBMITTED, _("Resubmitted")),
    (ReviewItem.Status.RESOLVED, _("Resolved")),
]


class QueueFilterForm(Form):
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    source = forms.ChoiceField(
        label=_("Source"),
        choices=[("", _("All sources")), *ReviewItem.Source.choices],
        required=False,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=KIND_CHOICES, required=False)
    space = forms.ModelChoiceField(
        label=_("Space"), queryset=Space.objects.none(), required=False, empty_label=_("All spaces")
    )

    def __init__(self, *args: Any, spaces: QuerySet[Space], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        space_field = self.fields["space"]
        assert isinstance(space_field, forms.ModelChoiceField)
        space_field.queryset = spaces


class FlagForm(Form):
    reason = forms.ChoiceField(
        label=_("What is wrong with it?"), choices=FlagReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Anything the moderators should know (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReasonForm(Form):
    reason = forms.CharField(
        label=_("Reason (kept in the audit log)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EditForm(ReasonForm):
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    body = forms.CharField(label=_("Text"), required=False, max_length=50000, widget=forms.Textarea)


class MoveForm(ReasonForm):
    to_space = forms.ModelChoiceField(label=_("Move to"), queryset=Space.objects.none())

    def __init__(self, *args: Any, spaces: QuerySet[Space], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        space_field = self.fields["to_space"]
        assert isinstance(space_field, forms.ModelChoiceField)
        space_field.queryset = spaces


class WarnForm(Form):
    message = forms.CharField(
        label=_("Warning the member will read"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SuspendForm(ReasonForm):
    duration_note = forms.CharField(
        label=_("Duration (a note, e.g. 30 days)"), required=False, max_length=200
    )


class BlockedTermForm(Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=BlockedTerm.Kind.choices)
    value = forms.CharField(label=_("Word or domain"), max_length=100)


class ModerationSettingsForm(Form):
    forbid_promotion = forms.BooleanField(label=_("Hold promotional posts"), required=False)
    hold_new_member_links = forms.BooleanField(
        label=_("Hold posts with links from new members"), required=False
    )
