"""Badge pages: the list, a badge with its holders (full page or HTMX fragment), and staff awards."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kizuna.badges import selectors, services
from kizuna.badges.forms import BadgeAwardForm
from kizuna.badges.permissions import MANAGE_BADGES
from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.identity.staff import StaffPageMixin

HOLDERS_PER_PAGE = 30


class BadgeListView(View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "badges/badge_list/index.html", {"badges": selectors.list_active_badges()}
        )


class BadgeDetailView(View):
    """A badge and its holders; with HX-Request only the holders' page is returned."""

    def get(self, request: HtmxHttpRequest, slug: str) -> HttpResponse:
        badge = selectors.get_active_badge(slug=slug)
        if badge is None:
            raise Http404
        page = paginate(
            request, selectors.list_badge_holders(badge, request.user), per_page=HOLDERS_PER_PAGE
        )
        template = (
            "badges/badge_detail/partial.html" if request.htmx else "badges/badge_detail/index.html"
        )
        return render(request, template, {"badge": badge, "page": page})


class BadgeManageView(StaffPageMixin):
    """Staff award and revoke staff-awarded badges, each with a reason (audited)."""

    required_capability = MANAGE_BADGES
    template_name = "badges/badge_manage/index.html"

    def _render(
        self, request: HttpRequest, form: BadgeAwardForm, status: int = 200
    ) -> HttpResponse:
        page = paginate(request, selectors.list_staff_awards())
        context: dict[str, Any] = {"form": form, "page": page}
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, BadgeAwardForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = BadgeAwardForm(request.POST)
        operation = request.POST.get("operation")
        if operation not in {"award", "revoke"}:
            return self._render(request, form, status=400)
        if not form.is_valid():
            return self._render(request, form, status=400)
        badge = form.cleaned_data["badge"]
        member = form.cleaned_data["email"]
        reason = form.cleaned_data["reason"]
        try:
            if operation == "award":
                services.award_badge(actor=self.member, badge=badge, member=member, reason=reason)
                messages.success(
                    request,
                    _("Awarded %(badge)s to %(member)s.") % {"badge": badge.name, "member": member},
                )
            else:
                services.revoke_badge(actor=self.member, badge=badge, member=member, reason=reason)
                messages.success(
                    request,
                    _("Revoked %(badge)s from %(member)s.")
                    % {"badge": badge.name, "member": member},
                )
        except ValidationError as error:
            add_service_errors(form, error, aliases={"member": "email"})
            return self._render(request, form, status=400)
        return redirect("badges:badge-manage")
