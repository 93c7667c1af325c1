"""Forms of the touch-tier pages: the bands (amounts typed as people write them) and one
account's strategic flag and tier set by hand."""

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from kizuna.core.forms import Form
from kizuna.customers.models import TierSettings, TouchTier
from kizuna.customers.money import MINOR_UNIT_EXPONENTS, format_amount, parse_amount
from kizuna.customers.tier_services import MAX_CAPACITY, REASON_MAX_LENGTH, TierBands

# The form's amount fields and the service's names for them.
AMOUNT_FIELDS = {"high_from": "high_from_minor", "low_from": "low_from_minor"}


def _capacity_field(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_CAPACITY,
        error_messages={
            "required": gettext_lazy(
                "Write how many accounts one CSM can look after, 1 to 1,000,000."
            ),
            "invalid": gettext_lazy(
                "Write how many accounts one CSM can look after, 1 to 1,000,000."
            ),
            "min_value": gettext_lazy(
                "Write how many accounts one CSM can look after, 1 to 1,000,000."
            ),
            "max_value": gettext_lazy(
                "Write how many accounts one CSM can look after, 1 to 1,000,000."
            ),
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class TierSettingsForm(Form):
    basis = forms.ChoiceField(
        label=gettext_lazy("Measure accounts by"),
        choices=TierSettings.Basis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose ARR or LTV.")},
    )
    currency = forms.ChoiceField(label=gettext_lazy("Currency of the thresholds"))
    high_from = forms.CharField(
        label=gettext_lazy("High touch from"),
        max_length=40,
        help_text=gettext_lazy("An account at or above this figure is high touch."),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Enter the high-touch threshold.")},
    )
    low_from = forms.CharField(
        label=gettext_lazy("Low touch from"),
        max_length=40,
        help_text=gettext_lazy(
            "An account at or above this figure is low touch; below it, tech touch. "
            "Write amounts as 10,000,000 or 1000万."
        ),
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        error_messages={"required": gettext_lazy("Enter the low-touch threshold.")},
    )
    default_lifetime_months = forms.IntegerField(
        label=gettext_lazy("Expected lifetime when an account has none (months)"),
        min_value=1,
        max_value=600,
        help_text=gettext_lazy(
            "Used for LTV when the CRM gave none: LTV = ARR × lifetime in months ÷ 12."
        ),
        error_messages={
            key: gettext_lazy("Write the lifetime as a number of months, 1 to 600.")
            for key in ("required", "invalid", "min_value", "max_value")
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    high_capacity = _capacity_field(gettext_lazy("High-touch accounts one CSM can look after"))
    low_capacity = _capacity_field(gettext_lazy("Low-touch accounts one CSM can look after"))
    tech_capacity = _capacity_field(gettext_lazy("Tech-touch accounts one CSM can look after"))

    def __init__(self, *args: Any, current_currency: str = "JPY", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        codes = list(MINOR_UNIT_EXPONENTS)
        if current_currency not in codes:
            codes.append(current_currency)
        currency = self.fields["currency"]
        assert isinstance(currency, forms.ChoiceField)
        currency.choices = [(code, code) for code in codes]

    @classmethod
    def initial_for(cls, settings: TierSettings) -> dict[str, Any]:
        return {
            "basis": settings.basis,
            "currency": settings.currency,
            "high_from": format_amount(settings.high_from_minor, settings.currency),
            "low_from": format_amount(settings.low_from_minor, settings.currency),
            "default_lifetime_months": settings.default_lifetime_months,
            "high_capacity": settings.high_capacity,
            "low_capacity": settings.low_capacity,
            "tech_capacity": settings.tech_capacity,
        }

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean() or {}
        currency = cleaned.get("currency") or "JPY"
        for name in AMOUNT_FIELDS:
            text = cleaned.get(name)
            if text is None:
                continue
            try:
                amount = parse_amount(text, currency)
            except ValueError:
                self.add_error(
                    name,
                    _("“%(value)s” is not an amount; write digits such as 12000000 or 1200万.")
                    % {"value": text},
                )
                continue
            if amount is None:
                self.add_error(name, self.fields[name].error_messages["required"])
                continue
            cleaned[f"{name}_minor"] = amount
        return cleaned

    def bands(self) -> TierBands:
        data = self.cleaned_data
        return TierBands(
            basis=data["basis"],
            currency=data["currency"],
            high_from_minor=data["high_from_minor"],
            low_from_minor=data["low_from_minor"],
            default_lifetime_months=data["default_lifetime_months"],
            high_capacity=data["high_capacity"],
            low_capacity=data["low_capacity"],
            tech_capacity=data["tech_capacity"],
        )


class AccountTierForm(Form):
    is_strategic = forms.BooleanField(
        label=gettext_lazy("Strategic account (one tier up from its band)"), required=False
    )
    tier_override = forms.ChoiceField(
        label=gettext_lazy("Tier"),
        required=False,
        choices=[("", gettext_lazy("As the bands give it")), *TouchTier.choices],
        widget=forms.RadioSelect,
        help_text=gettext_lazy("A tier set by hand wins over the bands and the strategic flag."),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "Required. Kept in the account's history and the audit log, "
            "e.g. “group company of a key account”."
        ),
        error_messages={
            "required": gettext_lazy(
                "Say why you change this account's tier; "
                "it is kept in the history and the audit log."
            ),
            "max_length": gettext_lazy("Keep the reason under 300 characters."),
        },
    )
