"""Staff pages for touch tiers: the bands (with a live preview), one account's tier, and the
books of business. Every one of them shows customer economics, so every one asks for
VIEW_ACCOUNT_ECONOMICS besides the capability of its own."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.customers.access import access_account
from kizuna.customers.book import (
    book_owner,
    book_summary,
    list_books,
    owner_accounts,
    renewal_window,
    summarise_book,
)
from kizuna.customers.models import AccountChange, CustomerAccount, TouchTier
from kizuna.customers.tier_forms import AMOUNT_FIELDS, AccountTierForm, TierSettingsForm
from kizuna.customers.tier_services import (
    preview_tier_bands,
    set_account_tier,
    update_tier_settings,
)
from kizuna.customers.tiers import (
    TIERS_HIGH_FIRST,
    TierCounts,
    current_tier_settings,
    explain_tier,
    tier_counts,
)
from kizuna.identity.permissions import has_capability
from kizuna.identity.roles import Capability, StaffRole
from kizuna.identity.staff import StaffPageMixin

# The service names the thresholds in minor units; the form has them as typed.
SERVICE_FIELD_ALIASES = {service: form for form, service in AMOUNT_FIELDS.items()}
TIER_HISTORY_FIELDS = ("touch_tier", "tier_override", "tier_override_reason", "is_strategic")


@dataclass(frozen=True)
class TierRow:
    tier: TouchTier
    now: int
    then: int | None

    @property
    def label(self) -> str:
        return str(self.tier.label)

    @property
    def difference(self) -> int:
        return 0 if self.then is None else self.then - self.now


def tier_rows(current: TierCounts, preview: TierCounts | None) -> list[TierRow]:
    return [
        TierRow(
            tier=tier,
            now=current.as_dict()[tier.value],
            then=None if preview is None else preview.as_dict()[tier.value],
        )
        for tier in TIERS_HIGH_FIRST
    ]


@dataclass(frozen=True)
class HistoryRow:
    change: AccountChange
    field: str
    old: str
    new: str


def _shown_value(field: str, value: str) -> str:
    if field in ("touch_tier", "tier_override"):
        if value in TouchTier.values:
            return str(TouchTier(value).label)
        return _("As the bands give it") if field == "tier_override" else value
    if field == "is_strategic":
        return {"yes": _("Yes"), "no": _("No")}.get(value, value)
    return value or "—"


def history_rows(changes: Iterable[AccountChange]) -> list[HistoryRow]:
    labels = {
        "touch_tier": _("Touch tier"),
        "tier_override": _("Tier set by hand"),
        "tier_override_reason": _("Reason for the tier"),
        "is_strategic": _("Strategic account"),
    }
    return [
        HistoryRow(
            change=change,
            field=labels.get(change.field, change.field),
            old=_shown_value(change.field, change.old_value),
            new=_shown_value(change.field, change.new_value),
        )
        for change in changes
    ]


class TierSettingsView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS
    template_name = "customers/tiers/index.html"

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        self.require(Capability.VIEW_ACCOUNT_ECONOMICS)
        settings = current_tier_settings()
        if request.htmx and "preview" in request.GET:
            return self.preview(request)
        form = TierSettingsForm(
            initial=TierSettingsForm.initial_for(settings), current_currency=settings.currency
        )
        return self.render_page(request, form)

    def preview(self, request: HttpRequest) -> HttpResponse:
        settings = current_tier_settings()
        form = TierSettingsForm(request.GET, current_currency=settings.currency)
        counts = None
        if form.is_valid():
            try:
                counts = preview_tier_bands(actor=self.member, bands=form.bands())
            except ValidationError as error:
                add_service_errors(form, error, aliases=SERVICE_FIELD_ALIASES)
        context = {
            "form": form,
            "preview": counts,
            "rows": tier_rows(tier_counts(settings), counts),
            "swap_summary": True,
        }
        return render(request, "customers/tiers/preview.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        self.require(Capability.VIEW_ACCOUNT_ECONOMICS)
        settings = current_tier_settings()
        form = TierSettingsForm(request.POST, current_currency=settings.currency)
        if form.is_valid():
            try:
                saved = update_tier_settings(actor=self.member, bands=form.bands())
            except ValidationError as error:
                add_service_errors(form, error, aliases=SERVICE_FIELD_ALIASES)
            else:
                messages.success(
                    request,
                    ngettext(
                        "The bands have been saved. %(count)s account changed tier.",
                        "The bands have been saved. %(count)s accounts changed tier.",
                        saved.accounts_moved,
                    )
                    % {"count": saved.accounts_moved},
                )
                return redirect("customers:tier-settings")
        return self.render_page(request, form, status=400)

    def render_page(
        self, request: HttpRequest, form: TierSettingsForm, status: int = 200
    ) -> HttpResponse:
        settings = current_tier_settings()
        context = {
            "form": form,
            "settings": settings,
            "preview": None,
            "rows": tier_rows(tier_counts(settings), None),
        }
        return render(request, self.template_name, context, status=status)


class AccountTierView(StaffPageMixin, View):
    required_capability = Capability.MANAGE_ACCOUNTS
    template_name = "customers/tiers/account/index.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.load_account(pk)
        form = AccountTierForm(
            initial={"is_strategic": account.is_strategic, "tier_override": account.tier_override}
        )
        return self.render_page(request, account, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        account = self.load_account(pk)
        form = AccountTierForm(request.POST)
        if form.is_valid():
            try:
                result = set_account_tier(
                    actor=self.member,
                    account=account,
                    tier_override=form.cleaned_data["tier_override"],
                    is_strategic=form.cleaned_data["is_strategic"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if result.changed:
                    messages.success(
                        request,
                        _("Saved: %(account)s is now %(tier)s.")
                        % {
                            "account": result.account.name,
                            "tier": result.account.get_touch_tier_display(),
                        },
                    )
                else:
                    messages.info(request, _("Nothing changed: the account already had these."))
                return redirect("customers:account-tier", pk=account.pk)
        return self.render_page(request, account, form, status=400)

    def load_account(self, pk: int) -> CustomerAccount:
        self.require(Capability.VIEW_ACCOUNT_ECONOMICS)
        return access_account(self.member, pk).account

    def render_page(
        self,
        request: HttpRequest,
        account: CustomerAccount,
        form: AccountTierForm,
        status: int = 200,
    ) -> HttpResponse:
        history = (
            AccountChange.objects.filter(account=account, field__in=TIER_HISTORY_FIELDS)
            .select_related("changed_by")
            .order_by("-changed_at", "-pk")
        )
        page = paginate(request, history, per_page=10)
        context = {
            "account": account,
            "why": explain_tier(account),
            "form": form,
            "page": page,
            "history": history_rows(page.object_list),
        }
        return render(request, self.template_name, context, status=status)


class BookListView(StaffPageMixin, View):
    required_capability = Capability.VIEW_ACCOUNT_ECONOMICS

    def get(self, request: HttpRequest) -> HttpResponse:
        settings = current_tier_settings()
        today = timezone.localdate()
        page = paginate(request, list_books(settings=settings, today=today))
        member = self.member
        context = {
            "page": page,
            "books": [summarise_book(owner, settings) for owner in page.object_list],
            "unowned": book_summary(None, settings=settings, today=today),
            "settings": settings,
            "window_end": renewal_window(today)[1],
            "has_own_book": member.staff_role == StaffRole.CSM or member.owned_accounts.exists(),
            "can_configure": has_capability(member, Capability.CONFIGURE_CUSTOMER_SUCCESS),
        }
        return render(request, "customers/book/index.html", context)


class BookOfView(StaffPageMixin, View):
    required_capability = Capability.VIEW_ACCOUNT_ECONOMICS

    def get(self, request: HttpRequest, member_pk: int) -> HttpResponse:
        owner = book_owner(member_pk)
        if owner is None:
            raise Http404
        settings = current_tier_settings()
        today = timezone.localdate()
        context = {
            "owner": owner,
            "is_mine": owner.pk == self.member.pk,
            "summary": book_summary(owner, settings=settings, today=today),
            "page": paginate(request, owner_accounts(owner)),
            "today": today,
            "window_end": renewal_window(today)[1],
            "can_set_tiers": has_capability(self.member, Capability.MANAGE_ACCOUNTS),
        }
        return render(request, "customers/book/member/index.html", context)
