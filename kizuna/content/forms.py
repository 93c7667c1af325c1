"""Forms of the forum pages: they parse input only; the content services and validation hold every rule."""

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from kizuna.content.models import PostType
from kizuna.content.selectors import SORT_ACTIVITY, SORT_NEWEST
from kizuna.content.validation import BODY_MAX_LENGTH, COMMENT_MAX_LENGTH, TITLE_MAX_LENGTH
from kizuna.content.vocabulary import case_study_template
from kizuna.core.forms import Form
from kizuna.core.numbers import DATABASE_INTEGER_MAX

NEVER_EDITED = "never"

PUBLIC_USE_CONSENT_LABEL = _(
    "I agree that this case study, including my company's name, may be featured on the "
    "vendor's website and materials."
)


def edited_marker(edited_at: datetime | None) -> str:
    """What an edit form remembers of the version it was opened on."""
    return edited_at.isoformat() if edited_at else NEVER_EDITED


def parse_edited_marker(marker: str) -> datetime | str | None:
    """The inverse of edited_marker; "" (no marker sent) skips the staleness check."""
    if marker == NEVER_EDITED:
        return None
    return parse_datetime(marker) or ""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the services check each one's type and size."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


def _submission_token() -> forms.CharField:
    return forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=lambda: uuid.uuid4().hex
    )


class MarkdownTextarea(forms.Textarea):
    def __init__(self, rows: int = 12) -> None:
        super().__init__(attrs={"rows": rows, "data-mentions": "true", "class": "markdown-input"})


class PostForm(Form):
    post_type = forms.ChoiceField(label=_("Type"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Body"),
        max_length=BODY_MAX_LENGTH,
        widget=MarkdownTextarea(),
        help_text=_(
            "Markdown works. A line with only a YouTube or Vimeo link shows the video. "
            "Type @ and a name to mention someone."
        ),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=300,
        help_text=_("Up to 5, separated by commas, e.g. 請求, API"),
    )
    public_use_consent = forms.BooleanField(label=PUBLIC_USE_CONSENT_LABEL, required=False)
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Images, PDF, TXT, CSV, XLSX, DOCX, PPTX or ZIP; up to 5 files of 10 MB each."),
    )
    submission_token = _submission_token()

    def __init__(self, *args: Any, allow_staff_types: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (value, label)
            for value, label in PostType.choices
            if allow_staff_types or value != PostType.ANNOUNCEMENT
        ]
        field = self.fields["post_type"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices
        field.initial = PostType.QUESTION
        self.fields["title"].widget.attrs.update({"autocomplete": "off"})
        template = case_study_template()
        # static/js/post-type.js fills an empty body with it when case study is chosen.
        self.fields["body"].widget.attrs["data-case-study-template"] = template
        if self.initial.get("post_type") == PostType.CASE_STUDY and not self.initial.get("body"):
            self.initial["body"] = template


class PostEditForm(Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(label=_("Body"), max_length=BODY_MAX_LENGTH, widget=MarkdownTextarea())
    tags = forms.CharField(label=_("Tags"), required=False, max_length=300)
    public_use_consent = forms.BooleanField(label=PUBLIC_USE_CONSENT_LABEL, required=False)
    reason = forms.CharField(
        label=_("What did you change? (optional)"), required=False, max_length=200
    )
    edited_marker = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, is_case_study: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not is_case_study:
            del self.fields["public_use_consent"]


class AnswerForm(Form):
    body = forms.CharField(
        label=_("Your answer"), max_length=BODY_MAX_LENGTH, widget=MarkdownTextarea(rows=8)
    )
    attachments = MultipleFileField(label=_("Attachments"), required=False)
    submission_token = _submission_token()


class AnswerEditForm(Form):
    body = forms.CharField(label=_("Answer"), max_length=BODY_MAX_LENGTH, widget=MarkdownTextarea())
    reason = forms.CharField(
        label=_("What did you change? (optional)"), required=False, max_length=200
    )
    edited_marker = forms.CharField(widget=forms.HiddenInput, required=False)


class CommentForm(Form):
    body = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    answer = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=DATABASE_INTEGER_MAX
    )
    submission_token = _submission_token()


class PreviewForm(Form):
    body = forms.CharField(required=False, max_length=BODY_MAX_LENGTH)


class FeedFilterForm(Form):
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *PostType.choices]
    )
    tag = forms.CharField(label=_("Tag"), required=False, max_length=60)
    solved = forms.ChoiceField(
        label=_("Solved"),
        required=False,
        choices=[("", _("All")), ("yes", _("Solved")), ("no", _("Unsolved questions"))],
    )
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        choices=[(SORT_ACTIVITY, _("Latest activity")), (SORT_NEWEST, _("Newest"))],
    )
