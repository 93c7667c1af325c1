"""Forms of the customer account pages: the account, its filters, contacts, plans and custom fields.

Economic fields (amounts, lifetime, strategic flag, custom fields) are added to a form only
for staff who may see economics; the services refuse them from anyone else all the same.
"""

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kizuna.core.forms import Form
from kizuna.customers.economics import CUSTOM_FIELD_PREFIX, LTV_FORMULA, clean_custom_value
from kizuna.customers.models import (
    CustomerAccount,
    CustomField,
    EmployeeBand,
    LifecycleStage,
    Plan,
    TouchTier,
)
from kizuna.customers.money import MINOR_UNIT_EXPONENTS, parse_amount, to_major
from kizuna.customers.selectors import (
    AccountFilters,
    CustomFilter,
    CustomOp,
    CustomValue,
    staff_members,
)
from kizuna.identity.models import Member


def date_widget() -> forms.DateInput:
    """A date picker; its value in ISO, which is what a browser's date input reads."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


CURRENCIES = ["JPY", *sorted(code for code in MINOR_UNIT_EXPONENTS if code != "JPY")]
AMOUNT_FIELDS = ("arr_minor", "mrr_minor", "ltv_minor")
CUSTOM_FORM_PREFIX = "custom_"


def major_text(minor: int | None, currency: str) -> str:
    """An amount as a person types it: 12000000 for ¥12,000,000, 1200.50 for $1,200.50."""
    return "" if minor is None else format(to_major(minor, currency), "f")


def custom_form_field(field: CustomField) -> forms.Field:
    """The typed input for one custom field."""
    common: dict[str, Any] = {
        "label": field.label,
        "required": False,
        "help_text": field.help_text,
    }
    if field.kind == CustomField.Kind.NUMBER:
        return forms.DecimalField(max_digits=20, decimal_places=4, **common)
    if field.kind == CustomField.Kind.DATE:
        return forms.DateField(**common, widget=date_widget())
    if field.kind == CustomField.Kind.CHOICE:
        choices = [("", "—"), *((choice, choice) for choice in field.choices)]
        return forms.ChoiceField(choices=choices, **common)
    return forms.CharField(max_length=500, **common)


class AccountForm(Form):
    """Every field of an account; economic ones and custom fields only with `show_economics`."""

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
    plan = forms.ModelChoiceField(
        label=_("Plan"), queryset=Plan.objects.none(), required=False, empty_label=_("No plan")
    )
    lifecycle_stage = forms.ChoiceField(
        label=_("Lifecycle stage"),
        choices=LifecycleStage.choices,
        required=False,
        help_text=_("Churned marks the account churned; any other stage keeps it active."),
    )
    csm_owner = forms.ModelChoiceField(
        label=_("CSM owner"),
        queryset=Member.objects.none(),
        required=False,
        empty_label=_("No owner"),
    )
    contract_start = forms.DateField(
        label=_("Contract start"), required=False, widget=date_widget()
    )
    renewal_date = forms.DateField(label=_("Renewal date"), required=False, widget=date_widget())
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)
    region = forms.CharField(label=_("Region"), max_length=100, required=False)
    employee_band = forms.ChoiceField(
        label=_("Employees"),
        choices=[("", _("Not known")), *EmployeeBand.choices],
        required=False,
    )
    external_id = forms.CharField(
        label=_("External ID"),
        max_length=100,
        required=False,
        help_text=_("The account's ID in your CRM; imports and the API match on it."),
    )
    salesforce_id = forms.CharField(label=_("Salesforce account ID"), max_length=32, required=False)
    hubspot_id = forms.CharField(label=_("HubSpot company ID"), max_length=32, required=False)

    # Economics: added by __init__ for those who may see them.
    ECONOMIC_FORM_FIELDS = (
        "currency",
        "arr_minor",
        "mrr_minor",
        "ltv_minor",
        "expected_lifetime_months",
        "is_strategic",
    )
    GROUPS = (
        (_("Company"), ("name", "domains", "industry", "region", "employee_band")),
        (
            _("Contract"),
            ("plan", "lifecycle_stage", "csm_owner", "contract_start", "renewal_date"),
        ),
        (
            _("Economics"),
            (
                "currency",
                "arr_minor",
                "mrr_minor",
                "ltv_minor",
                "expected_lifetime_months",
                "is_strategic",
            ),
        ),
        (_("CRM IDs"), ("external_id", "salesforce_id", "hubspot_id")),
    )

    def __init__(
        self,
        *args: Any,
        show_economics: bool,
        custom_fields: list[CustomField],
        computed_ltv_text: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.show_economics = show_economics
        self.custom_fields = custom_fields if show_economics else []
        cast("forms.ModelChoiceField[Any]", self.fields["plan"]).queryset = Plan.objects.order_by(
            "rank", "name"
        )
        cast("forms.ModelChoiceField[Any]", self.fields["csm_owner"]).queryset = staff_members()
        if show_economics:
            self._add_economic_fields(computed_ltv_text)
            for field in self.custom_fields:
                self.fields[CUSTOM_FORM_PREFIX + field.key] = custom_form_field(field)

    def _add_economic_fields(self, computed_ltv_text: str) -> None:
        currency = str(self.initial.get("currency") or self.data.get("currency") or "JPY")
        codes = CURRENCIES if currency in CURRENCIES else [*CURRENCIES, currency]
        self.fields["currency"] = forms.ChoiceField(
            label=_("Currency"), choices=[(code, code) for code in codes], required=False
        )
        amount_help = _("In the currency above; 12000000, 12,000,000 and 1200万 all work.")
        self.fields["arr_minor"] = forms.CharField(
            label=_("ARR (annual recurring revenue)"),
            max_length=30,
            required=False,
            help_text=amount_help,
        )
        self.fields["mrr_minor"] = forms.CharField(
            label=_("MRR (monthly recurring revenue)"),
            max_length=30,
            required=False,
            help_text=amount_help,
        )
        ltv_help = _("Leave blank to compute it: %(formula)s.") % {"formula": LTV_FORMULA}
        if computed_ltv_text:
            ltv_help = _("Leave blank to compute it: %(formula)s = %(amount)s.") % {
                "formula": LTV_FORMULA,
                "amount": computed_ltv_text,
            }
        self.fields["ltv_minor"] = forms.CharField(
            label=_("LTV (lifetime value)"), max_length=30, required=False, help_text=ltv_help
        )
        self.fields["expected_lifetime_months"] = forms.IntegerField(
            label=_("Expected lifetime in months"),
            min_value=1,
            max_value=600,
            required=False,
            help_text=_("Used for the computed LTV; blank uses the default in the tier settings."),
        )
        self.fields["is_strategic"] = forms.BooleanField(
            label=_("Strategic account (raises its touch tier by one)"), required=False
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, renewal = cleaned.get("contract_start"), cleaned.get("renewal_date")
        if start and renewal and renewal < start:
            self.add_error("renewal_date", _("The renewal date comes before the contract start."))
        if self.show_economics:
            currency = cleaned.get("currency") or self.initial.get("currency") or "JPY"
            for name in AMOUNT_FIELDS:
                if name not in cleaned:
                    continue
                try:
                    cleaned[name] = parse_amount(cleaned[name], currency)
                except ValueError:
                    self.add_error(
                        name,
                        _("“%(value)s” is not an amount; write digits such as 12000000 or 1200万.")
                        % {"value": cleaned[name]},
                    )
        return cleaned

    def account_values(self) -> dict[str, Any]:
        """The typed values for `save_account`, custom fields keyed ``custom:<key>``."""
        data = self.cleaned_data
        values: dict[str, Any] = {
            name: data.get(name)
            for name in (
                "plan",
                "lifecycle_stage",
                "csm_owner",
                "contract_start",
                "renewal_date",
                "industry",
                "region",
                "employee_band",
                "external_id",
                "salesforce_id",
                "hubspot_id",
            )
        }
        for name in ("industry", "region", "external_id", "salesforce_id", "hubspot_id"):
            values[name] = (values[name] or "").strip()
        values["employee_band"] = values["employee_band"] or ""
        if not values["lifecycle_stage"]:
            del values["lifecycle_stage"]  # not sent: the stage stays as it is
        if self.show_economics:
            for name in self.ECONOMIC_FORM_FIELDS:
                values[name] = data.get(name)
            values["is_strategic"] = bool(values["is_strategic"])
            if not values["currency"]:
                del values["currency"]
            for field in self.custom_fields:
                value = data.get(CUSTOM_FORM_PREFIX + field.key)
                if isinstance(value, str):
                    value = value.strip() or None
                values[CUSTOM_FIELD_PREFIX + field.key] = value
        return values

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields in fieldsets, for the template; empty groups left out."""
        found = []
        for title, names in self.GROUPS:
            bound = [self[name] for name in names if name in self.fields]
            if bound:
                found.append((str(title), bound))
        custom = [self[CUSTOM_FORM_PREFIX + field.key] for field in self.custom_fields]
        if custom:
            found.append((str(_("Custom fields")), custom))
        return found

    @classmethod
    def initial_for(
        cls, account: CustomerAccount, custom_values: list[CustomValue]
    ) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "name": account.name,
            "domains": "\n".join(domain.domain for domain in account.domains.all()),
            "plan": account.plan_id,
            "lifecycle_stage": account.lifecycle_stage,
            "csm_owner": account.csm_owner_id,
            "contract_start": account.contract_start,
            "renewal_date": account.renewal_date,
            "industry": account.industry,
            "region": account.region,
            "employee_band": account.employee_band,
            "external_id": account.external_id,
            "salesforce_id": account.salesforce_id,
            "hubspot_id": account.hubspot_id,
            "currency": account.currency,
            "expected_lifetime_months": account.expected_lifetime_months,
            "is_strategic": account.is_strategic,
        }
        for name in AMOUNT_FIELDS:
            initial[name] = major_text(getattr(account, name), account.currency)
        for item in custom_values:
            initial[CUSTOM_FORM_PREFIX + item.field.key] = item.value
        return initial


OWNER_MINE = "mine"
OWNER_NONE = "none"


class AccountFilterForm(Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    lifecycle_stage = forms.ChoiceField(
        label=_("Lifecycle stage"),
        required=False,
        choices=[("", _("All")), *LifecycleStage.choices],
    )
    owner = forms.ChoiceField(label=_("CSM owner"), required=False)
    plan = forms.ModelChoiceField(
        label=_("Plan"),
        queryset=Plan.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    renewal_within = forms.IntegerField(
        label=_("Renews within (days)"),
        required=False,
        min_value=1,
        max_value=3650,
        widget=forms.NumberInput(attrs={"placeholder": "90"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *CustomerAccount.Status.choices],
    )

    def __init__(
        self,
        *args: Any,
        show_economics: bool,
        custom_fields: list[CustomField],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.show_economics = show_economics
        self.custom_fields = {field.key: field for field in custom_fields} if show_economics else {}
        cast(forms.ChoiceField, self.fields["owner"]).choices = [
            ("", _("Anyone")),
            (OWNER_MINE, _("Mine")),
            (OWNER_NONE, _("No owner")),
            *((str(member.pk), member.name) for member in staff_members()),
        ]
        cast("forms.ModelChoiceField[Any]", self.fields["plan"]).queryset = Plan.objects.order_by(
            "rank", "name"
        )
        if show_economics:
            self.fields["tier"] = forms.ChoiceField(
                label=_("Touch tier"), required=False, choices=[("", _("All")), *TouchTier.choices]
            )
        if self.custom_fields:
            self.fields["custom_field"] = forms.ChoiceField(
                label=_("Custom field"),
                required=False,
                choices=[
                    ("", "—"),
                    *((key, field.label) for key, field in self.custom_fields.items()),
                ],
            )
            self.fields["custom_op"] = forms.ChoiceField(
                label=_("Comparison"),
                required=False,
                choices=[
                    (CustomOp.EQUALS.value, pgettext_lazy("comparison", "equals")),
                    (CustomOp.AT_LEAST.value, pgettext_lazy("comparison", "at least (≥)")),
                    (CustomOp.AT_MOST.value, pgettext_lazy("comparison", "at most (≤)")),
                ],
            )
            self.fields["custom_value"] = forms.CharField(
                label=_("Value"), required=False, max_length=200
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        key = cleaned.get("custom_field")
        if key:
            field = self.custom_fields[key]
            op = CustomOp(cleaned.get("custom_op") or CustomOp.EQUALS)
            comparable = field.kind in (CustomField.Kind.NUMBER, CustomField.Kind.DATE)
            if op != CustomOp.EQUALS and not comparable:
                self.add_error(
                    "custom_op", _("Only numbers and dates can be compared with ≥ or ≤.")
                )
            try:
                value = clean_custom_value(field, cleaned.get("custom_value") or "")
            except ValidationError as error:
                self.add_error("custom_value", error)
            else:
                if value is None:
                    self.add_error("custom_value", _("Enter the value to compare with."))
                else:
                    cleaned["custom"] = CustomFilter(field=field, op=op, value=value)
        return cleaned

    def filters(self, viewer: Member) -> AccountFilters:
        data = self.cleaned_data
        owner = data.get("owner") or ""
        owner_id: int | None = None
        if owner == OWNER_MINE:
            owner_id = viewer.pk
        elif owner.isdigit():
            owner_id = int(owner)
        plan = data.get("plan")
        return AccountFilters(
            query=(data.get("q") or "").strip(),
            status=data.get("status") or "",
            tier=(data.get("tier") or "") if self.show_economics else "",
            lifecycle_stage=data.get("lifecycle_stage") or "",
            owner_id=owner_id,
            without_owner=owner == OWNER_NONE,
            plan_id=plan.pk if plan else None,
            renewal_within_days=data.get("renewal_within"),
            custom=data.get("custom") if self.show_economics else None,
        )

    def is_filtered(self) -> bool:
        return self.is_bound and any(
            value not in (None, "") for name, value in self.data.items() if name != "page"
        )

    def uses_more_filters(self) -> bool:
        """Whether a filter beyond the search box is set (the page then shows them open)."""
        return self.is_bound and any(
            value not in (None, "")
            for name, value in self.data.items()
            if name in self.fields and name != "q"
        )


class ContactForm(Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        error_messages={
            "required": _("Enter the contact's email address."),
            "invalid": _("Enter an email address such as name@example.co.jp."),
        },
    )
    full_name = forms.CharField(label=_("Name"), max_length=200, required=False)
    title = forms.CharField(label=_("Job title"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=50, required=False)
    external_id = forms.CharField(
        label=_("External ID"),
        max_length=100,
        required=False,
        help_text=_("The contact's ID in your CRM; imports and the API match on it."),
    )
    is_primary = forms.BooleanField(label=_("Main contact for this account"), required=False)


class PlanForm(Form):
    name = forms.CharField(
        label=_("Plan name"),
        max_length=100,
        error_messages={"required": _("Give the plan a name.")},
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=300,
        required=False,
        help_text=_("What the plan includes, e.g. “SSO and audit log”."),
    )


class PlanMoveForm(Form):
    direction = forms.ChoiceField(
        choices=[("up", _("Move up")), ("down", _("Move down"))], widget=forms.HiddenInput
    )


class CustomFieldForm(Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=100,
        error_messages={"required": _("Give the field a label.")},
    )
    key = forms.CharField(
        label=_("Key"),
        max_length=50,
        required=False,
        help_text=_(
            "How imports, the API and segments name the field, e.g. contract_type. Left blank, "
            "it is made from a label in Latin letters. It cannot change later."
        ),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=CustomField.Kind.choices)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("For a choice field: one choice per line."),
    )
    help_text = forms.CharField(
        label=_("Help text"),
        max_length=200,
        required=False,
        help_text=_("Shown under the field on the account form."),
    )

    def __init__(
        self, *args: Any, field: CustomField | None = None, has_values: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if field is not None:
            del self.fields["key"]
            if has_values:
                kind = self.fields["kind"]
                kind.disabled = True
                kind.help_text = _("Accounts have values for this field, so its kind is fixed.")

    @classmethod
    def initial_for(cls, field: CustomField) -> dict[str, Any]:
        return {
            "label": field.label,
            "kind": field.kind,
            "choices": "\n".join(str(choice) for choice in field.choices),
            "help_text": field.help_text,
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
