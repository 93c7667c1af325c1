"""Staff pages of the Customer 360: the account overview, expansion signals and plan tags."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import paginate
from kizuna.customers.access import access_account
from kizuna.customers.models import Plan
from kizuna.identity.permissions import has_capability
from kizuna.identity.roles import Capability
from kizuna.identity.staff import StaffPageMixin
from kizuna.plays.selectors import RECENT_CLOSED_DAYS
from kizuna.success.forms import CapabilityTagForm, RemoveCapabilityTagForm
from kizuna.success.selectors import (
    SIGNAL_WINDOW,
    account_360,
    activity_chart,
    plans_with_capability_tags,
    signal_accounts_page,
    tag_suggestions,
)
from kizuna.success.services import add_capability_tag, remove_capability_tag


class Account360View(StaffPageMixin, View):
    """The Customer 360: one account's economics (for those who may see them), history,
    members, activity over time, spaces, questions, case studies, events, cohort projects,
    ambassadors and expansion signals."""

    required_capability = Capability.VIEW_CUSTOMER_DATA

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_account(self.member, pk)
        overview = account_360(access, page_number=request.GET.get("page"))
        context = {
            "access": access,
            "account": access.account,
            "overview": overview,
            "figures": overview.figures,
            "page": overview.members,
            "chart_spec": activity_chart(overview.activity),
            "activity_total": sum(point.value for point in overview.activity),
            "plays_recent_days": RECENT_CLOSED_DAYS,
        }
        return render(request, "success/account_360/index.html", context)


class ExpansionSignalsView(StaffPageMixin, View):
    required_capability = Capability.VIEW_ACCOUNT_ECONOMICS

    def get(self, request: HttpRequest) -> HttpResponse:
        context = {
            "page": signal_accounts_page(request.GET.get("page")),
            "window_days": SIGNAL_WINDOW.days,
            "can_configure": has_capability(self.member, Capability.CONFIGURE_CUSTOMER_SUCCESS),
        }
        return render(request, "success/expansion_signals/index.html", context)


class PlanTagsView(StaffPageMixin, View):
    """For each plan, the content tags that mean "a capability of this plan"."""

    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS
    template_name = "success/plan_tags/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.render_page(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CapabilityTagForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form=form, status=400)
        plan = _plan(form.cleaned_data["plan"])
        try:
            tag, created = add_capability_tag(
                actor=self.member, plan=plan, tag_name=form.cleaned_data["tag"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self.render_page(request, form=form, status=400)
        if created:
            messages.success(
                request,
                _("%(tag)s now counts as a capability of %(plan)s.") % {"tag": tag, "plan": plan},
            )
        else:
            messages.info(
                request,
                _("%(tag)s was already a capability of %(plan)s.") % {"tag": tag, "plan": plan},
            )
        return redirect("success:plan-tags")

    def render_page(
        self, request: HttpRequest, *, form: CapabilityTagForm | None = None, status: int = 200
    ) -> HttpResponse:
        context = {
            "page": paginate(request, plans_with_capability_tags()),
            "failed_form": form,
            "failed_plan": form.data.get("plan") if form is not None else None,
            "suggestions": tag_suggestions(),
        }
        return render(request, self.template_name, context, status=status)


class PlanTagRemoveView(StaffPageMixin, View):
    required_capability = Capability.CONFIGURE_CUSTOMER_SUCCESS

    def get(self, request: HttpRequest) -> HttpResponse:
        return redirect("success:plan-tags")

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RemoveCapabilityTagForm(request.POST)
        if not form.is_valid():
            messages.error(
                request, _("That tag could not be taken off: reload the page and try again.")
            )
            return redirect("success:plan-tags")
        plan = _plan(form.cleaned_data["plan"])
        tag = remove_capability_tag(
            actor=self.member, plan=plan, tag_id=form.cleaned_data["tag_id"]
        )
        if tag is not None:
            messages.success(
                request,
                _("%(tag)s no longer counts as a capability of %(plan)s.")
                % {"tag": tag, "plan": plan},
            )
        return redirect("success:plan-tags")


def _plan(pk: int) -> Plan:
    plan = Plan.objects.filter(pk=pk).first()
    if plan is None:
        raise Http404
    return plan
