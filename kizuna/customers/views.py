"""Staff pages for customer accounts: list, create, detail, edit, link and unlink members."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import paginate
from kizuna.customers.forms import AccountFilterForm, AccountForm, LinkMemberForm, UnlinkMemberForm
from kizuna.customers.models import CustomerAccount, MemberAccountLink
from kizuna.customers.selectors import get_account, list_account_members, list_accounts
from kizuna.customers.services import (
    link_member_to_account,
    save_account,
    unlink_member_from_account,
)
from kizuna.identity.models import Member
from kizuna.identity.permissions import has_capability
from kizuna.identity.roles import Capability
from kizuna.identity.staff import StaffPageMixin


def load_account(pk: int) -> CustomerAccount:
    account = get_account(pk=pk)
    if account is None:
        raise Http404
    return account


class AccountListView(StaffPageMixin, View):
    required_capability = Capability.VIEW_CUSTOMER_DATA

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AccountFilterForm(request.GET)
        filters = form.cleaned_data if form.is_valid() else {}
        accounts = list_accounts(
            query=filters.get("q", "").strip(), status=filters.get("status", "")
        )
        context = {
            "form": form,
            "page": paginate(request, accounts),
            "is_filtered": any(filters.values()),
            "can_manage_accounts": has_capability(request.user, Capability.MANAGE_ACCOUNTS),
        }
        return render(request, "customers/account_list/index.html", context)


class AccountCreateView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS
    template_name = "customers/account_form/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = AccountForm(initial={"status": CustomerAccount.Status.ACTIVE})
        return render(request, self.template_name, {"form": form, "account": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                account = save_account(actor=self.member, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The account %(name)s has been created.") % {"name": account}
                )
                return redirect("customers:account-detail", pk=account.pk)
        return render(request, self.template_name, {"form": form, "account": None}, status=400)


class AccountEditView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS
    template_name = "customers/account_form/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = load_account(pk)
        form = AccountForm(initial=AccountForm.initial_for(account))
        return render(request, self.template_name, {"form": form, "account": account})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = load_account(pk)
        form = AccountForm(request.POST)
        if form.is_valid():
            try:
                save_account(actor=self.member, account=account, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
                account.refresh_from_db()
            else:
                messages.success(request, _("The account has been saved."))
                return redirect("customers:account-detail", pk=account.pk)
        return render(request, self.template_name, {"form": form, "account": account}, status=400)


class AccountDetailView(StaffPageMixin, View):
    required_capability = Capability.VIEW_CUSTOMER_DATA
    template_name = "customers/account_detail/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = load_account(pk)
        return self.render_page(request, account, LinkMemberForm())

    def render_page(
        self,
        request: HttpRequest,
        account: CustomerAccount,
        link_form: LinkMemberForm,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "account": account,
            "domains": list(account.domains.all()),
            "page": paginate(request, list_account_members(account=account)),
            "link_form": link_form,
            "can_manage_accounts": has_capability(request.user, Capability.MANAGE_ACCOUNTS),
            "can_link_accounts": has_capability(request.user, Capability.LINK_ACCOUNTS),
        }
        return render(request, self.template_name, context, status=status)


class AccountLinkMemberView(StaffPageMixin, View):
    required_capability = Capability.LINK_ACCOUNTS

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("customers:account-detail", pk=pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = load_account(pk)
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
        return AccountDetailView(request=request).render_page(request, account, form, status=400)


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
