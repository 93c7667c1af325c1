"""Forms of the unanswered queue and the knowledge section."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kizuna.content.models import KnowledgeArticle, Tag
from kizuna.content.validation import BODY_MAX_LENGTH, TITLE_MAX_LENGTH
from kizuna.core.forms import Form
from kizuna.spaces.models import Space


class UnansweredFilterForm(Form):
    UNANSWERED = "unanswered"
    UNSOLVED = "unsolved"

    space = forms.ModelChoiceField(
        label=_("Space"), queryset=Space.objects.none(), required=False, to_field_name="slug"
    )
    tag = forms.ModelChoiceField(
        label=_("Tag"), queryset=Tag.objects.none(), required=False, to_field_name="slug"
    )
    show = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[
            (UNANSWERED, _("Questions without an answer")),
            (UNSOLVED, _("Questions not solved yet")),
        ],
    )

    def __init__(
        self, *args: Any, spaces: QuerySet[Space], tags: QuerySet[Tag], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        space_field = self.fields["space"]
        assert isinstance(space_field, forms.ModelChoiceField)
        space_field.queryset = spaces
        space_field.empty_label = _("All spaces")
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ModelChoiceField)
        tag_field.queryset = tags
        tag_field.empty_label = _("All tags")


class KnowledgeForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=KnowledgeArticle.Kind.choices,
        initial=KnowledgeArticle.Kind.ARTICLE,
        widget=forms.RadioSelect,
    )
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    body = forms.CharField(
        label=_("Text"),
        max_length=BODY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown. Edit the thread into an answer that stands on its own."),
    )
