"""Forms of the follow-up pages: the survey and the invitation filter."""

from typing import Any

from django import forms
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kizuna.customers.models import CustomerAccount
from kizuna.events.followup_models import NPS_MAX, NPS_MIN, SATISFACTION_MAX, SATISFACTION_MIN
from kizuna.events.invitations import InviteeFilter
from kizuna.events.models import MaterialKind
from kizuna.events.surveys import MAX_COMMENT_LENGTH
from kizuna.gamification.models import Level
from kizuna.identity.models import Interest
from kizuna.spaces.models import Space


class SurveyForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied were you with the event?"),
        help_text=_("1 = not at all, 5 = very satisfied"),
        choices=[(n, str(n)) for n in range(SATISFACTION_MIN, SATISFACTION_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    recommend = forms.TypedChoiceField(
        label=_("How likely are you to recommend this event to a colleague?"),
        help_text=_("0 = not at all likely, 10 = extremely likely"),
        choices=[(n, str(n)) for n in range(NPS_MIN, NPS_MAX + 1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=pgettext_lazy("survey field", "Comments"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=MaterialKind.choices)
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(label=_("Or a file"), required=False)


class LevelChoiceField(forms.ModelChoiceField[Level]):
    def label_from_instance(self, obj: Level) -> str:
        return obj.name_ja if (get_language() or "ja").startswith("ja") else obj.name_en


class InviteeFilterForm(forms.Form):
    space = forms.ModelChoiceField(
        label=_("Members of the space"),
        queryset=Space.objects.filter(archived_at__isnull=True).order_by("name"),
        required=False,
    )
    interests = forms.ModelMultipleChoiceField(
        label=_("With any of these challenges"),
        queryset=Interest.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    level = LevelChoiceField(
        label=_("At the level"), queryset=Level.objects.order_by("threshold"), required=False
    )
    account = forms.ModelChoiceField(
        label=_("Of the customer account"),
        queryset=CustomerAccount.objects.order_by("name"),
        required=False,
    )

    def criteria(self) -> InviteeFilter:
        data: dict[str, Any] = self.cleaned_data
        return InviteeFilter(
            space=data.get("space"),
            interests=tuple(data.get("interests") or ()),
            level=data.get("level"),
            account=data.get("account"),
        )
