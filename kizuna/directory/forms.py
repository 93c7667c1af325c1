from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.core.forms import Form
from kizuna.gamification.models import Level
from kizuna.gamification.templatetags.gamification import level_label
from kizuna.identity.models import Interest


def _without_nul(value: str) -> str:
    # PostgreSQL rejects NUL characters in text parameters; a pasted one must not error.
    return value.replace("\x00", "").strip()


class DirectorySearchForm(Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    company = forms.CharField(label=_("Company"), required=False, max_length=120)
    challenge = forms.ModelChoiceField(
        label=_("Challenge or interest"),
        queryset=Interest.objects.none(),
        required=False,
        empty_label=_("Any challenge"),
    )
    level = forms.ChoiceField(label=_("Level"), required=False)

    def __init__(self, *args: Any, interests: Any, levels: list[Level], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.levels = levels
        challenge = self.fields["challenge"]
        assert isinstance(challenge, forms.ModelChoiceField)
        challenge.queryset = interests
        level = self.fields["level"]
        assert isinstance(level, forms.ChoiceField)
        level.choices = [
            ("", _("Any level")),
            *((str(item.pk), level_label(item)) for item in levels),
        ]

    def clean_q(self) -> str:
        return _without_nul(self.cleaned_data["q"])

    def clean_company(self) -> str:
        return _without_nul(self.cleaned_data["company"])

    def clean_level(self) -> Level | None:
        chosen = self.cleaned_data["level"]
        return next((item for item in self.levels if str(item.pk) == chosen), None)
