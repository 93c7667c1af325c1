"""The play queue's filters, the forms that work a play, and a play rule's settings."""

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.forms import Form
from kizuna.customers.models import TouchTier
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer
from kizuna.plays.kinds import THRESHOLDS, USES_ANY_ACTIVITY
from kizuna.plays.models import PlayRule, PlayStatus
from kizuna.plays.selectors import (
    OWNER_ANYONE,
    OWNER_MINE,
    OWNER_NOBODY,
    STATUS_ALL,
    STATUS_CLOSED,
)
from kizuna.segments.models import Segment
from kizuna.segments.permissions import segments_visible_to

STATUS_CHOICES = [
    (PlayStatus.OPEN.value, PlayStatus.OPEN.label),
    (PlayStatus.SNOOZED.value, PlayStatus.SNOOZED.label),
    (STATUS_CLOSED, pgettext_lazy("play status", "Closed (done, dismissed or resolved)")),
    (PlayStatus.DONE.value, PlayStatus.DONE.label),
    (PlayStatus.DISMISSED.value, PlayStatus.DISMISSED.label),
    (PlayStatus.RESOLVED.value, PlayStatus.RESOLVED.label),
    (STATUS_ALL, pgettext_lazy("play status", "Any status")),
]


class QueueFilterForm(Form):
    owner = forms.ChoiceField(label=_("Owner"), required=False)
    tier = forms.ChoiceField(
        label=_("Touch tier"), required=False, choices=[("", _("Any tier")), *TouchTier.choices]
    )
    rule = forms.TypedChoiceField(
        label=_("Play rule"), required=False, coerce=int, empty_value=None
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS_CHOICES)

    def __init__(
        self,
        data: Any,
        *,
        owners: list[Member],
        rules: list[PlayRule],
        default_owner: str,
    ) -> None:
        super().__init__(data)
        self.default_owner = default_owner
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            (OWNER_MINE, _("My plays")),
            (OWNER_ANYONE, _("Everyone's plays")),
            (OWNER_NOBODY, _("Accounts without a CSM")),
            *[(str(owner.pk), str(owner)) for owner in owners],
        ]
        cast(forms.ChoiceField, self.fields["rule"]).choices = [
            ("", _("Any rule")),
            *[(str(rule.pk), rule.display_title) for rule in rules],
        ]
        # Shown as chosen when the page opens with no filter.
        self.fields["owner"].initial = default_owner
        self.fields["status"].initial = PlayStatus.OPEN.value

    def filters(self) -> dict[str, Any]:
        """The filters to apply: the defaults where nothing (or nothing valid) was chosen."""
        values: dict[str, Any] = {
            "owner": self.default_owner,
            "tier": "",
            "rule_id": None,
            "status": PlayStatus.OPEN.value,
        }
        if self.is_bound and self.is_valid():
            data = self.cleaned_data
            values["owner"] = data["owner"] or self.default_owner
            values["tier"] = data["tier"]
            values["rule_id"] = data["rule"]
            values["status"] = data["status"] or PlayStatus.OPEN.value
        return values


class SnoozeForm(Form):
    until = forms.DateField(
        label=_("Snooze until"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Choose the date the play should come back."),
            "invalid": _("Enter a date such as 2026-07-03."),
        },
    )


class DismissForm(Form):
    reason = forms.CharField(
        label=_("Why is this play not needed?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why this play is dismissed.")},
    )


class RuleForm(Form):
    """One rule's settings; only the thresholds its kind uses are fields."""

    title = forms.CharField(
        label=_("Title"),
        required=False,
        max_length=200,
        help_text=_("Leave it empty to use the name of the kind of play."),
    )
    tier = forms.ChoiceField(
        label=_("Accounts of"),
        required=False,
        choices=[("", _("Any tier")), *TouchTier.choices],
    )
    enabled = forms.BooleanField(label=_("Enabled"), required=False)
    any_activity = forms.BooleanField(
        label=_("Count any activity in the community, not only events attended"),
        required=False,
    )
    cooldown_days = forms.IntegerField(
        label=_("Days before a done or dismissed play may open again"),
        min_value=0,
        max_value=3650,
        error_messages={"required": _("Enter a number of days (0 to open it again at once).")},
    )

    segment = forms.ModelChoiceField(
        label=_("Only accounts in the segment"),
        queryset=Segment.objects.none(),
        required=False,
        empty_label=_("Every account of the tier"),
        help_text=_("A members segment limits the rule to the accounts of its members."),
        error_messages={"invalid_choice": _("Choose one of the saved segments.")},
    )

    def __init__(self, *args: Any, rule: PlayRule, viewer: Viewer, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", f"rule-{rule.pk}")
        if not args and "initial" not in kwargs:
            kwargs["initial"] = (
                {
                    name: getattr(rule, name)
                    for name in ("title", "tier", "enabled", "any_activity", "cooldown_days")
                }
                | {"segment": rule.segment_id}
                | {
                    threshold.field: getattr(rule, threshold.field)
                    for threshold in THRESHOLDS[rule.kind]
                }
            )
        super().__init__(*args, **kwargs)
        self.rule = rule
        cast(
            "forms.ModelChoiceField[Segment]", self.fields["segment"]
        ).queryset = segments_visible_to(viewer)
        if rule.kind not in USES_ANY_ACTIVITY:
            del self.fields["any_activity"]
        for threshold in THRESHOLDS[rule.kind]:
            self.fields[threshold.field] = forms.IntegerField(
                label=threshold.label,
                help_text=threshold.help_text,
                required=threshold.required,
                min_value=threshold.minimum,
                max_value=threshold.maximum,
                error_messages={"required": _("Enter a number.")},
            )
        thresholds = [threshold.field for threshold in THRESHOLDS[rule.kind]]
        self.order_fields(["title", "tier", "segment", "enabled", *thresholds, "any_activity"])

    def values(self) -> dict[str, Any]:
        """The cleaned values as the service takes them."""
        return dict(self.cleaned_data)
