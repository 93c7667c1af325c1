from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.core.forms import Form
from kizuna.rewards.models import RedemptionStatus, Reward, RewardKind


class RedeemForm(Form):
    """The confirm step; the token is minted when the page is shown, so a double submit
    (or a resubmitted page) makes one redemption."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=128)


# Far above any real catalog, and within the database's integer columns.
MAX_COST_POINTS = 10_000_000
MAX_STOCK = 1_000_000


class RewardForm(Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=2000,
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=RewardKind.choices)
    cost_points = forms.IntegerField(
        label=_("Cost in points"), min_value=1, max_value=MAX_COST_POINTS
    )
    stock = forms.IntegerField(
        label=_("Stock"),
        min_value=0,
        max_value=MAX_STOCK,
        required=False,
        help_text=_("Leave empty for unlimited."),
    )
    per_member_limit = forms.IntegerField(
        label=_("Limit per member"),
        min_value=1,
        max_value=MAX_STOCK,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    requires_approval = forms.BooleanField(label=_("Requires approval"), required=False)
    is_active = forms.BooleanField(label=_("Shown in the catalog"), required=False, initial=True)


class DecisionForm(Form):
    text = forms.CharField(
        label=_("Reason or note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=1000,
    )


class QueueFilterForm(Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *RedemptionStatus.choices],
        required=False,
    )
    reward = forms.ModelChoiceField(
        label=_("Reward"),
        queryset=Reward.objects.none(),
        required=False,
        empty_label=_("Any reward"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        reward_field = self.fields["reward"]
        assert isinstance(reward_field, forms.ModelChoiceField)
        reward_field.queryset = Reward.objects.order_by("name")
