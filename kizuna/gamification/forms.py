from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.forms import Form


class PointRuleForm(Form):
    points = forms.IntegerField(label=_("Points"), min_value=-1000, max_value=10000)
    daily_cap = forms.IntegerField(
        label=_("Daily cap"),
        required=False,
        min_value=1,
        max_value=100000,
        help_text=_("Most points one member can earn from this rule per day. Empty: no cap."),
    )
    is_active = forms.BooleanField(label=pgettext_lazy("switched on", "Active"), required=False)


class LeaderboardVisibilityForm(Form):
    show_on_leaderboards = forms.BooleanField(label=_("Show me on leaderboards"), required=False)


class LeaderboardFilterForm(Form):
    period = forms.ChoiceField(
        label=_("Period"),
        choices=[("all", _("All time")), ("month", _("This month"))],
        required=False,
    )
    space = forms.SlugField(label=_("Space"), required=False, allow_unicode=True)
