from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.content.models import PostType
from kizuna.core.forms import Form
from kizuna.core.numbers import parse_positive_integer
from kizuna.identity.permissions import Viewer
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import spaces_with_visible_content

SOLVED_CHOICES = [("", _("Solved or not")), ("yes", _("Solved")), ("no", _("Not solved yet"))]


class SearchForm(Form):
    """The search box and its filters; the space list holds only spaces the viewer may read."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    space: forms.ModelChoiceField[Space] = forms.ModelChoiceField(
        label=_("Space"),
        required=False,
        queryset=Space.objects.none(),
        empty_label=_("All spaces"),
    )
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *PostType.choices]
    )
    tag = forms.SlugField(label=_("Tag"), required=False, max_length=60, allow_unicode=True)
    solved = forms.ChoiceField(label=_("Solved"), required=False, choices=SOLVED_CHOICES)
    # Text, not IntegerField: an author id comes from a result's link, and an edited or broken
    # one is left out of the search (and said so) rather than failing the whole search.
    author = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    date_from = forms.DateField(
        label=_("Posted from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Posted until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, viewer: Viewer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        space_field = self.fields["space"]
        assert isinstance(space_field, forms.ModelChoiceField)  # narrows the type for mypy
        space_field.queryset = spaces_with_visible_content(viewer).order_by("name")
        self.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": _("Words to find")}
        )

    author_left_out = False

    def clean_author(self) -> int | None:
        text = self.cleaned_data["author"]
        author = parse_positive_integer(text)
        self.author_left_out = bool(text) and author is None
        return author

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            self.add_error("date_to", _("The end date is before the start date."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        """The cleaned filters as keyword arguments of `search_posts`."""
        data = self.cleaned_data
        solved = {"yes": True, "no": False}.get(data.get("solved") or "")
        space = data.get("space")
        return {
            "space": space.pk if space else None,
            "post_type": data.get("type") or None,
            "tag": data.get("tag") or None,
            "solved": solved,
            "author": data.get("author"),
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
        }
