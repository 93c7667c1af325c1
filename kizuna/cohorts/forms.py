"""The forms of the staff pages that run a programme; the services check every value again."""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.cohorts.models import Programme, ProgrammeStatus
from kizuna.core.forms import Form
from kizuna.customers.models import CustomerAccount
from kizuna.identity.models import Member
from kizuna.spaces.models import Space

TITLE_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 5000
SESSION_NUMBER_MAX = 99


class MemberChoiceField(forms.ModelChoiceField[Member]):
    def label_from_instance(self, obj: Member) -> str:
        return f"{obj.name} ({obj.email})"


class MemberByEmailField(forms.ModelChoiceField[Member]):
    """A member named by their email address: no list of every member in the page."""

    widget = forms.EmailInput

    def to_python(self, value: Any) -> Member | None:
        return super().to_python(value.strip().lower() if isinstance(value, str) else value)


class AccountChoiceField(forms.ModelChoiceField[CustomerAccount]):
    def label_from_instance(self, obj: CustomerAccount) -> str:
        return obj.name


class ProgrammeForm(Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=_("Who the programme is for, how often the sessions are, what it aims at."),
    )
    space = forms.ModelChoiceField(
        label=_("Space"),
        queryset=Space.objects.filter(archived_at__isnull=True).order_by("name"),
        help_text=_(
            "Participants must be able to read this space; nobody else in it sees the maps."
        ),
    )
    owner = MemberChoiceField(
        label=_("Customer success manager"),
        queryset=Member.objects.filter(is_active=True).exclude(staff_role="").order_by("email"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProgrammeStatus.choices)


class SessionForm(Form):
    number = forms.IntegerField(
        label=pgettext_lazy("session", "Number"), min_value=1, max_value=SESSION_NUMBER_MAX
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX_LENGTH)


class CompanyForm(Form):
    account = AccountChoiceField(
        label=_("Customer company"),
        queryset=CustomerAccount.objects.filter(status=CustomerAccount.Status.ACTIVE),
    )


class ParticipantForm(Form):
    member = MemberByEmailField(
        label=_("Member's email address"),
        queryset=Member.objects.filter(is_active=True),
        to_field_name="email",
        error_messages={"invalid_choice": _("No member has this email address.")},
    )
    project_title = forms.CharField(label=_("Project name"), max_length=TITLE_MAX_LENGTH)
    account = AccountChoiceField(
        label=_("Company"),
        queryset=CustomerAccount.objects.none(),
        required=False,
        empty_label=_("The member's own company"),
    )

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        account_field = self.fields["account"]
        assert isinstance(account_field, AccountChoiceField)
        companies: QuerySet[CustomerAccount] = programme.accounts.order_by("name")
        account_field.queryset = companies
