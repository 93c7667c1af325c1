from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.badges.models import Badge, BadgeKind
from kizuna.content.models import Post
from kizuna.contests.models import MAX_WINNERS, ContestKind, Judging
from kizuna.contests.selectors import Candidate
from kizuna.contests.services import MAX_POINTS_PER_WINNER
from kizuna.core.forms import Form

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeInput(forms.DateTimeInput):
    """The browser's own date and time picker; values are read in the member's time zone."""

    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class BadgeChoiceField(forms.ModelChoiceField[Badge]):
    def label_from_instance(self, obj: Badge) -> str:
        return obj.name


class ContestForm(Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description and rules"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=5000,
        help_text=_("Markdown. Say what a good entry looks like and how the winners are chosen."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=ContestKind.choices)
    judging = forms.ChoiceField(
        label=_("How the winners are decided"), choices=Judging.choices, widget=forms.RadioSelect
    )
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=DateTimeInput(), input_formats=[DATETIME_FORMAT]
    )
    winner_count = forms.IntegerField(
        label=_("Number of winners"), min_value=1, max_value=MAX_WINNERS, initial=1
    )
    points_per_winner = forms.IntegerField(
        label=_("Points per winner"), min_value=0, max_value=MAX_POINTS_PER_WINNER, initial=100
    )
    badge = BadgeChoiceField(
        label=_("Badge for the winners"),
        queryset=Badge.objects.none(),
        required=False,
        empty_label=_("No badge"),
        help_text=_("Only badges that staff award can be given to winners."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        badge_field = self.fields["badge"]
        assert isinstance(badge_field, BadgeChoiceField)
        badge_field.queryset = Badge.objects.filter(
            kind=BadgeKind.STAFF_AWARDED, is_active=True
        ).order_by("slug")


class EntryForm(Form):
    statement = forms.CharField(
        label=_("Why this entry?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Everyone who can see the contest reads this."),
    )
    post = forms.ModelChoiceField(
        label=_("Your case study"),
        queryset=Post.objects.none(),
        required=False,
        empty_label=None,
    )

    def __init__(self, *args: Any, case_studies: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        post_field = self.fields["post"]
        assert isinstance(post_field, forms.ModelChoiceField)
        if case_studies is None:
            del self.fields["post"]
        else:
            post_field.queryset = case_studies
            post_field.required = True
            post_field.error_messages["required"] = _("Choose one of your case studies.")


class VoteForm(Form):
    entry = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


def place_field_name(place: int) -> str:
    return f"place_{place}"


class WinnersForm(Form):
    """One choice per place, first place first; places may stay empty after the first."""

    def __init__(self, *args: Any, candidates: list[Candidate], places: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, str]] = [("", "—")]
        choices += [(str(candidate.member.pk), candidate.member.name) for candidate in candidates]
        for place in range(1, places + 1):
            self.fields[place_field_name(place)] = forms.TypedChoiceField(
                label=_("Place %(place)s") % {"place": place},
                choices=choices,
                coerce=int,
                empty_value=None,
                required=place == 1,
                error_messages={"required": _("Choose the winner of first place.")},
            )
        self.places = places

    def chosen_member_ids(self) -> list[int]:
        chosen = (self.cleaned_data.get(place_field_name(p)) for p in range(1, self.places + 1))
        return [member_id for member_id in chosen if member_id is not None]
