"""The ambassador roster: everyone on it with their account (and tier, for those who may see
tiers); staff who manage accounts add members by email and retire them with a reason."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.ambassadors import services
from kizuna.ambassadors.access import access_ambassador
from kizuna.ambassadors.forms import AddAmbassadorForm, RetireAmbassadorForm, RosterFilterForm
from kizuna.ambassadors.models import Ambassador
from kizuna.ambassadors.permissions import (
    MANAGE_ROSTER,
    VIEW_ROSTER,
    can_manage_roster,
    can_see_tiers,
)
from kizuna.ambassadors.selectors import roster
from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.identity.staff import StaffPageMixin

TEMPLATE = "ambassadors/roster/index.html"
ROW_TEMPLATE = "ambassadors/roster/row.html"


def _roster_context(
    request: HtmxHttpRequest, add_form: AddAmbassadorForm | None = None
) -> dict[str, Any]:
    form = RosterFilterForm(request.GET or None)
    query, status = form.filters()
    return {
        "form": form,
        "page": paginate(request, roster(query=query, status=status)),
        "is_filtered": bool(request.GET.get("q") or request.GET.get("status")),
        "add_form": add_form or AddAmbassadorForm(),
        "can_manage": can_manage_roster(request.user),
        "can_see_tiers": can_see_tiers(request.user),
    }


class RosterView(StaffPageMixin, View):
    required_capability = VIEW_ROSTER

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        return render(request, TEMPLATE, _roster_context(request))


class AmbassadorAddView(StaffPageMixin, View):
    required_capability = MANAGE_ROSTER

    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        return redirect("ambassadors:roster")

    def post(self, request: HtmxHttpRequest) -> HttpResponse:
        form = AddAmbassadorForm(request.POST)
        if form.is_valid():
            try:
                member = services.find_member_by_email(form.cleaned_data["email"])
                ambassador = services.add_ambassador(
                    actor=self.member, member=member, note=form.cleaned_data["note"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(member)s is now an ambassador.") % {"member": ambassador.member},
                )
                return redirect("ambassadors:roster")
        return render(request, TEMPLATE, _roster_context(request, add_form=form), status=400)


class AmbassadorRetireView(StaffPageMixin, View):
    required_capability = MANAGE_ROSTER

    def get(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        return redirect("ambassadors:roster")

    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        ambassador = access_ambassador(self.member, pk)
        form = RetireAmbassadorForm(request.POST)
        notice = ""
        if form.is_valid():
            try:
                ambassador = services.retire_ambassador(
                    actor=self.member, ambassador=ambassador, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_service_errors(form, error)
                else:
                    notice = " ".join(error.messages)
                    ambassador.refresh_from_db()
            else:
                if request.htmx:
                    return self._row(request, ambassador, RetireAmbassadorForm())
                messages.success(
                    request,
                    _("%(member)s has retired from the ambassador programme.")
                    % {"member": ambassador.member},
                )
                return redirect(reverse("ambassadors:roster"))
        if request.htmx:
            return self._row(request, ambassador, form, notice=notice, status=400)
        if notice:
            messages.error(request, notice)
            return redirect(reverse("ambassadors:roster"))
        context = _roster_context(request)
        page = context["page"]
        page.object_list = list(page.object_list)
        for row in page.object_list:
            if row.pk == ambassador.pk:
                row.retire_form = form
        return render(request, TEMPLATE, context, status=400)

    def _row(
        self,
        request: HtmxHttpRequest,
        ambassador: Ambassador,
        form: RetireAmbassadorForm,
        *,
        notice: str = "",
        status: int = 200,
    ) -> HttpResponse:
        ambassador.retire_form = form  # type: ignore[attr-defined]
        context = {
            "ambassador": ambassador,
            "notice": notice,
            "can_manage": True,
            "can_see_tiers": can_see_tiers(request.user),
        }
        return render(request, ROW_TEMPLATE, context, status=status)
