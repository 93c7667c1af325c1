from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kizuna.core.forms import Form
from kizuna.customers.models import CustomerAccount


class AccountFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *CustomerAccount.Status.choices],
    )


class AccountForm(Form):
    name = forms.CharField(
        label=_("Company name"),
        max_length=200,
        error_messages={"required": _("Enter the company name.")},
    )
    domains = forms.CharField(
        label=_("Email domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line or separated by commas, e.g. example.co.jp. Members who verify an "
            "address at one of these domains become customers of this account."
        ),
    )
    status = forms.ChoiceField(label=_("Status"), choices=CustomerAccount.Status.choices)

    @classmethod
    def initial_for(cls, account: CustomerAccount) -> dict[str, Any]:
        return {
            "name": account.name,
            "domains": "\n".join(domain.domain for domain in account.domains.all()),
            "status": account.status,
        }


class LinkMemberForm(Form):
    email = forms.EmailField(
        label=_("Member's email address"),
        error_messages={
            "required": _("Enter the email address the member signed up with."),
            "invalid": _("Enter an email address such as name@example.co.jp."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log, e.g. “uses a personal address”."),
        error_messages={
            "required": _("Say why you link this member; it is kept in the audit log.")
        },
    )


class UnlinkMemberForm(Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Recorded in the audit log."),
        error_messages={
            "required": _("Say why you unlink this member; it is kept in the audit log.")
        },
    )
