from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.ambassadors.models import Ambassador
from kizuna.core.forms import Form


class RosterFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[*Ambassador.Status.choices, ("all", _("Everyone who has been one"))],
    )

    def filters(self) -> tuple[str, str]:
        """(query, status) with the roster's default, active ambassadors, when nothing is chosen."""
        if not self.is_valid():
            return "", Ambassador.Status.ACTIVE
        status = self.cleaned_data["status"] or Ambassador.Status.ACTIVE
        return self.cleaned_data["q"].strip(), "" if status == "all" else status


class AddAmbassadorForm(Form):
    email = forms.EmailField(
        label=_("Member's email address"),
        max_length=254,
        error_messages={"required": _("Enter the email address the member signed up with.")},
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        help_text=_("Why this member, or what they will do: seen by staff only."),
    )


class RetireAmbassadorForm(Form):
    reason = forms.CharField(
        label=_("Reason for retiring"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Say why this ambassador is retiring.")},
    )
