"""Staff pages for customer accounts: the list and its CSV export, an account's details,
history and contacts, the edit form, member links, plans and custom field definitions."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import DEFAULT_PAGE_SIZE, paginate
from kizuna.customers.access import AccountAccess, access_account
from kizuna.customers.economics import CUSTOM_FIELD_PREFIX, LTV_FORMULA
from kizuna.customers.forms import (
    CUSTOM_FORM_PREFIX,
    AccountFilterForm,
    AccountForm,
    ContactForm,
    CustomFieldForm,
    LinkMemberForm,
    PlanForm,
    PlanMoveForm,
    UnlinkMemberForm,
)
from kizuna.customers.models import (
    AccountChange,
    Contact,
    CustomerAccount,
    CustomField,
    EmployeeBand,
    LifecycleStage,
    MemberAccountLink,
    Plan,
    TouchTier,
)
from kizuna.customers.money import computed_ltv, format_amount
from kizuna.customers.permissions import can_view_economics
from kizuna.customers.selectors import (
    account_history,
    custom_fields_by_key,
    custom_values_of,
    get_contact,
    list_account_members,
    list_accounts,
    list_contacts,
    list_custom_fields,
    list_plans,
)
from kizuna.customers.services import (
    create_plan,
    delete_contact,
    delete_custom_field,
    delete_plan,
    export_accounts_csv,
    link_member_to_account,
    move_plan,
    save_account,
    save_contact,
    save_custom_field,
    unlink_member_from_account,
    update_plan,
)
from kizuna.customers.tiers import current_tier_settings
from kizuna.identity.models import Member
from kizuna.identity.permissions import has_capability
from kizuna.identity.roles import Capability
from kizuna.identity.staff import StaffPageMixin

AMOUNT_FIELDS = frozenset({"arr_minor", "mrr_minor", "ltv_minor"})


@dataclass(frozen=True)
class Economics:
    """An account's figures as the page shows them."""

    arr: str
    mrr: str
    ltv: str
    ltv_is_computed: bool
    lifetime_months: int
    lifetime_is_default: bool
    formula: str


def economics_of(account: CustomerAccount) -> Economics:
    settings = current_tier_settings()
    lifetime = account.expected_lifetime_months or settings.default_lifetime_months
    ltv = account.ltv_minor
    is_computed = ltv is None
    if ltv is None:
        ltv = computed_ltv(account.arr_minor, lifetime)
    return Economics(
        arr=format_amount(account.arr_minor, account.currency),
        mrr=format_amount(account.mrr_minor, account.currency),
        ltv=format_amount(ltv, account.currency),
        ltv_is_computed=is_computed and ltv is not None,
        lifetime_months=lifetime,
        lifetime_is_default=account.expected_lifetime_months is None,
        formula=str(LTV_FORMULA),
    )


def computed_ltv_text(account: CustomerAccount | None) -> str:
    if account is None or account.arr_minor is None:
        return ""
    settings = current_tier_settings()
    lifetime = account.expected_lifetime_months or settings.default_lifetime_months
    return format_amount(computed_ltv(account.arr_minor, lifetime), account.currency)


# The account list and its export -----------------------------------------------------------


class AccountListView(StaffPageMixin, View):
    required_capability = Capability.VIEW_CUSTOMER_DATA
    template_name = "customers/account_list/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        show_economics = can_view_economics(self.member)
        custom_fields = list(custom_fields_by_key().values()) if show_economics else []
        form = AccountFilterForm(
            request.GET, show_economics=show_economics, custom_fields=custom_fields
        )
        if not form.is_valid():
            context: dict[str, Any] = {
                "form": form,
                "page": None,
                "is_filtered": True,
                "show_economics": show_economics,
                "can_manage_accounts": has_capability(self.member, Capability.MANAGE_ACCOUNTS),
            }
            return render(request, self.template_name, context, status=400)
        accounts = list_accounts(filters=form.filters(self.member))
        if request.GET.get("export") == "csv":
            content = export_accounts_csv(actor=self.member, accounts=accounts)
            response = HttpResponse(content, content_type="text/csv; charset=utf-8")
            stamp = timezone.localdate().strftime("%Y%m%d")
            response["Content-Disposition"] = f'attachment; filename="accounts-{stamp}.csv"'
            response["Cache-Control"] = "no-store"
            return response
        query = request.GET.copy()
        query.pop("page", None)
        query["export"] = "csv"
        context = {
            "form": form,
            "page": paginate(request, accounts),
            "is_filtered": form.is_filtered(),
            "show_economics": show_economics,
            "export_query": query.urlencode(),
            "can_manage_accounts": has_capability(self.member, Capability.MANAGE_ACCOUNTS),
        }
        return render(request, self.template_name, context)


# Creating and editing ----------------------------------------------------------------------


class AccountFormMixin(StaffPageMixin):
    required_capability = Capability.MANAGE_ACCOUNTS
    template_name = "customers/account_form/index.html"

    def build_form(self, account: CustomerAccount | None, data: Any = None) -> AccountForm:
        show_economics = can_view_economics(self.member)
        fields = custom_fields_by_key()
        initial: dict[str, Any] = {"lifecycle_stage": LifecycleStage.ONBOARDING, "currency": ""}
        if account is not None:
            initial = AccountForm.initial_for(account, custom_values_of(account, fields))
        else:
            initial["currency"] = current_tier_settings().currency
        return AccountForm(
            data,
            initial=initial,
            show_economics=show_economics,
            custom_fields=list(fields.values()),
            computed_ltv_text=computed_ltv_text(account),
        )

    def render_form(
        self, account: CustomerAccount | None, form: AccountForm, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "account": account, "active_tab": "details"}
        return render(self.request, self.template_name, context, status=status)

    def save(self, account: CustomerAccount | None, form: AccountForm) -> CustomerAccount | None:
        try:
            return save_account(
                actor=self.member,
                account=account,
                name=form.cleaned_data["name"],
                domains=form.cleaned_data["domains"],
                values=form.account_values(),
            )
        except ValidationError as error:
            add_service_errors(
                form,
                error,
                aliases={
                    f"{CUSTOM_FIELD_PREFIX}{key}": f"{CUSTOM_FORM_PREFIX}{key}"
                    for key in (field.key for field in form.custom_fields)
                },
            )
            return None


class AccountCreateView(AccountFormMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_form(None, self.build_form(None))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self.build_form(None, request.POST)
        if form.is_valid() and (account := self.save(None, form)) is not None:
            messages.success(
                request, _("The account %(name)s has been created.") % {"name": account}
            )
            return redirect("customers:account-detail", pk=account.pk)
        return self.render_form(None, form, status=400)


class AccountEditView(AccountFormMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = access_account(self.member, pk).account
        return self.render_form(account, self.build_form(account))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = access_account(self.member, pk).account
        form = self.build_form(account, request.POST)
        if form.is_valid() and self.save(account, form) is not None:
            messages.success(request, _("The account has been saved."))
            return redirect("customers:account-detail", pk=account.pk)
        account.refresh_from_db()
        return self.render_form(account, form, status=400)


# Details, history, members -----------------------------------------------------------------


class AccountDetailView(StaffPageMixin, View):
    required_capability = Capability.VIEW_CUSTOMER_DATA
    template_name = "customers/account_detail/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_account(self.member, pk)
        return self.render_page(request, access, LinkMemberForm())

    def render_page(
        self,
        request: HttpRequest,
        access: AccountAccess,
        link_form: LinkMemberForm,
        status: int = 200,
    ) -> HttpResponse:
        account = access.account
        contacts = Paginator(list_contacts(account=account), DEFAULT_PAGE_SIZE)
        context = {
            "account": account,
            "access": access,
            "active_tab": "details",
            "economics": economics_of(account) if access.can_view_economics else None,
            "custom_values": custom_values_of(account) if access.can_view_economics else [],
            "domains": list(account.domains.all()),
            "page": paginate(request, list_account_members(account=account)),
            "contacts": contacts.get_page(request.GET.get("contacts")),
            "link_form": link_form,
            "can_manage_accounts": access.can_manage,
            "can_link_accounts": access.can_link,
            "can_configure": has_capability(self.member, Capability.CONFIGURE_CUSTOMER_SUCCESS),
        }
        return render(request, self.template_name, context, status=status)


@dataclass(frozen=True)
class HistoryRow:
    change: AccountChange
    label: str
    old: str
    new: str


def _field_label(name: str, custom_labels: dict[str, str]) -> str:
    if name.startswith(CUSTOM_FIELD_PREFIX):
        key = name.removeprefix(CUSTOM_FIELD_PREFIX)
        return custom_labels.get(key, key)
    try:
        field = CustomerAccount._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    return capfirst(str(getattr(field, "verbose_name", name)))


_CHOICE_LABELS: dict[str, Any] = {
    "lifecycle_stage": LifecycleStage,
    "touch_tier": TouchTier,
    "tier_override": TouchTier,
    "employee_band": EmployeeBand,
    "status": CustomerAccount.Status,
}


def _shown(name: str, raw: str, currency: str) -> str:
    if raw == "":
        return "—"
    if name in AMOUNT_FIELDS and raw.isdigit():
        return format_amount(int(raw), currency)
    if name in _CHOICE_LABELS and raw in _CHOICE_LABELS[name].values:
        return str(_CHOICE_LABELS[name](raw).label)
    if name == "is_strategic" and raw in ("yes", "no"):
        return _("Yes") if raw == "yes" else _("No")
    return raw


class AccountHistoryView(StaffPageMixin, View):
    """Who changed which field of the account, when, from what to what."""

    required_capability = Capability.VIEW_CUSTOMER_DATA
    template_name = "customers/account_history/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_account(self.member, pk)
        account = access.account
        page = paginate(
            request,
            account_history(account=account, include_economics=access.can_view_economics),
        )
        labels = (
            {key: field.label for key, field in custom_fields_by_key().items()}
            if access.can_view_economics
            else {}
        )
        rows = [
            HistoryRow(
                change=change,
                label=_field_label(change.field, labels),
                old=_shown(change.field, change.old_value, account.currency),
                new=_shown(change.field, change.new_value, account.currency),
            )
            for change in page.object_list
        ]
        context = {
            "account": account,
            "access": access,
            "active_tab": "history",
            "page": page,
            "rows": rows,
        }
        return render(request, self.template_name, context)


class AccountLinkMemberView(StaffPageMixin, View):
    required_capability = Capability.LINK_ACCOUNTS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("customers:account-detail", pk=pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_account(self.member, pk)
        account = access.account
        form = LinkMemberForm(request.POST)
        if form.is_valid():
            member = Member.objects.filter(
                email__iexact=form.cleaned_data["email"], is_active=True
            ).first()
            if member is None:
                form.add_error("email", _("No member has signed up with this email address."))
            else:
                link_member_to_account(
                    actor=self.member,
                    member=member,
                    account=account,
                    reason=form.cleaned_data["reason"].strip(),
                )
                messages.success(
                    request,
                    _("%(member)s is now linked to %(account)s.")
                    % {"member": member, "account": account},
                )
                return redirect("customers:account-detail", pk=account.pk)
        view = AccountDetailView(request=request)
        return view.render_page(request, access, form, status=400)


class AccountUnlinkMemberView(StaffPageMixin, View):
    required_capability = Capability.LINK_ACCOUNTS
    template_name = "customers/account_unlink/index.html"

    def get(self, request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
        link = self.load_link(pk, member_pk)
        return render(request, self.template_name, {"link": link, "form": UnlinkMemberForm()})

    def post(self, request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
        link = self.load_link(pk, member_pk)
        form = UnlinkMemberForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"link": link, "form": form}, status=400)
        unlink_member_from_account(
            actor=self.member, member=link.member, reason=form.cleaned_data["reason"].strip()
        )
        messages.success(
            request,
            _("%(member)s is no longer linked to %(account)s.")
            % {"member": link.member, "account": link.account},
        )
        return redirect("customers:account-detail", pk=pk)

    def load_link(self, pk: int, member_pk: int) -> MemberAccountLink:
        return get_object_or_404(
            MemberAccountLink.objects.select_related("member", "account"),
            account_id=pk,
            member_id=member_pk,
        )


# Contacts ----------------------------------------------------------------------------------


class ContactMixin(StaffPageMixin):
    required_capability = Capability.MANAGE_ACCOUNTS

    def load(self, pk: int, contact_pk: int) -> tuple[CustomerAccount, Contact]:
        account = access_account(self.member, pk).account
        contact = get_contact(account=account, pk=contact_pk)
        if contact is None:
            raise Http404
        return account, contact


def _contact_initial(contact: Contact) -> dict[str, Any]:
    return {
        "email": contact.email,
        "full_name": contact.full_name,
        "title": contact.title,
        "phone": contact.phone,
        "external_id": contact.external_id,
        "is_primary": contact.is_primary,
    }


class ContactCreateView(ContactMixin, View):
    template_name = "customers/contact_form/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = access_account(self.member, pk).account
        context = {"account": account, "contact": None, "form": ContactForm()}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = access_account(self.member, pk).account
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                contact = save_contact(actor=self.member, account=account, values=form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("%(contact)s has been added as a contact.") % {"contact": contact}
                )
                return redirect("customers:account-detail", pk=account.pk)
        context = {"account": account, "contact": None, "form": form}
        return render(request, self.template_name, context, status=400)


class ContactEditView(ContactMixin, View):
    template_name = "customers/contact_form/index.html"

    def get(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        account, contact = self.load(pk, contact_pk)
        form = ContactForm(initial=_contact_initial(contact))
        context = {"account": account, "contact": contact, "form": form}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        account, contact = self.load(pk, contact_pk)
        form = ContactForm(request.POST)
        if form.is_valid():
            try:
                save_contact(
                    actor=self.member, account=account, contact=contact, values=form.cleaned_data
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The contact has been saved."))
                return redirect("customers:account-detail", pk=account.pk)
        context = {"account": account, "contact": contact, "form": form}
        return render(request, self.template_name, context, status=400)


class ContactDeleteView(ContactMixin, View):
    template_name = "customers/contact_delete/index.html"

    def get(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        account, contact = self.load(pk, contact_pk)
        return render(request, self.template_name, {"account": account, "contact": contact})

    def post(self, request: HttpRequest, pk: int, contact_pk: int) -> HttpResponse:
        account, contact = self.load(pk, contact_pk)
        delete_contact(actor=self.member, contact=contact)
        messages.success(request, _("%(contact)s is no longer a contact.") % {"contact": contact})
        return redirect("customers:account-detail", pk=account.pk)


# Plans -------------------------------------------------------------------------------------


class PlansView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS
    template_name = "customers/plans/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, PlanForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                plan = create_plan(
                    actor=self.member,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The plan %(plan)s has been added.") % {"plan": plan})
                return redirect("customers:plans")
        return self.render_page(request, form, status=400)

    def render_page(self, request: HttpRequest, form: PlanForm, status: int = 200) -> HttpResponse:
        context = {"form": form, "page": paginate(request, list_plans())}
        return render(request, self.template_name, context, status=status)


def load_plan(pk: int) -> Plan:
    return get_object_or_404(Plan, pk=pk)


class PlanEditView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS
    template_name = "customers/plan_form/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = load_plan(pk)
        form = PlanForm(initial={"name": plan.name, "description": plan.description})
        return render(request, self.template_name, {"plan": plan, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = load_plan(pk)
        form = PlanForm(request.POST)
        if form.is_valid():
            try:
                update_plan(
                    actor=self.member,
                    plan=plan,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The plan has been saved."))
                return redirect("customers:plans")
        plan.refresh_from_db()
        return render(request, self.template_name, {"plan": plan, "form": form}, status=400)


class PlanMoveView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("customers:plans")

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = load_plan(pk)
        form = PlanMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Move a plan up or down."))
            return redirect("customers:plans")
        move_plan(actor=self.member, plan=plan, direction=form.cleaned_data["direction"])
        return redirect("customers:plans")


class PlanDeleteView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS
    template_name = "customers/plan_delete/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(list_plans(), pk=pk)
        return render(request, self.template_name, {"plan": plan})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        plan = get_object_or_404(list_plans(), pk=pk)
        try:
            delete_plan(actor=self.member, plan=plan)
        except ValidationError as error:
            context = {"plan": plan, "error": " ".join(error.messages)}
            return render(request, self.template_name, context, status=400)
        messages.success(request, _("The plan %(plan)s has been deleted.") % {"plan": plan})
        return redirect("customers:plans")


# Custom fields -----------------------------------------------------------------------------


def _custom_field_values(form: CustomFieldForm, field: CustomField | None) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "label": data["label"],
        "kind": data.get("kind", field.kind if field else ""),
        "key": data.get("key", ""),
        "choices": data.get("choices", ""),
        "help_text": data.get("help_text", ""),
    }


class CustomFieldsView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS
    template_name = "customers/custom_fields/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request, CustomFieldForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CustomFieldForm(request.POST)
        if form.is_valid():
            try:
                field = save_custom_field(actor=self.member, **_custom_field_values(form, None))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The field %(label)s has been added; it shows on every account form.")
                    % {"label": field.label},
                )
                return redirect("customers:custom-fields")
        return self.render_page(request, form, status=400)

    def render_page(
        self, request: HttpRequest, form: CustomFieldForm, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "page": paginate(request, list_custom_fields())}
        return render(request, self.template_name, context, status=status)


class CustomFieldEditView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS
    template_name = "customers/custom_field_form/index.html"

    def load(self, pk: int) -> CustomField:
        return get_object_or_404(list_custom_fields(), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        field = self.load(pk)
        form = CustomFieldForm(
            initial=CustomFieldForm.initial_for(field),
            field=field,
            has_values=bool(field.value_count),  # type: ignore[attr-defined]
        )
        return render(request, self.template_name, {"field": field, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        field = self.load(pk)
        form = CustomFieldForm(
            request.POST,
            initial=CustomFieldForm.initial_for(field),
            field=field,
            has_values=bool(field.value_count),  # type: ignore[attr-defined]
        )
        if form.is_valid():
            values = _custom_field_values(form, field)
            values.pop("key")
            try:
                save_custom_field(actor=self.member, field=field, **values)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The field has been saved."))
                return redirect("customers:custom-fields")
        return render(request, self.template_name, {"field": field, "form": form}, status=400)


class CustomFieldDeleteView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS
    template_name = "customers/custom_field_delete/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        field = get_object_or_404(list_custom_fields(), pk=pk)
        return render(request, self.template_name, {"field": field})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        field = get_object_or_404(CustomField, pk=pk)
        delete_custom_field(actor=self.member, field=field)
        messages.success(
            request, _("The field %(label)s has been deleted.") % {"label": field.label}
        )
        return redirect("customers:custom-fields")
