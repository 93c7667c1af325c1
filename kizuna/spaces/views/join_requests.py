"""Applying to an application space, and the moderators' queue that decides applications."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.pagination import paginate
from kizuna.identity.permissions import is_signed_in
from kizuna.spaces import selectors, services
from kizuna.spaces.forms import ApplyForm, DecisionForm
from kizuna.spaces.models import JoinRequest, Space
from kizuna.spaces.permissions import (
    SpaceAccess,
    SpaceAccessDeniedError,
    access_space,
    takes_applications,
)
from kizuna.spaces.views.common import current_member, deny, detail_redirect, sign_in, space_or_404

DECIDED_HISTORY_LENGTH = 20


class SpaceApplyView(View):
    """The application form of an application space: its purpose, rules and questions."""

    template_name = "spaces/space_apply/index.html"

    def _refusal(self, request: HttpRequest, access: SpaceAccess) -> HttpResponse | None:
        space = access.space
        if not is_signed_in(request.user):
            return sign_in(request)
        if access.is_member:
            messages.info(request, _("You are already a member of this space."))
            return detail_redirect(space)
        if access.has_pending_request or not takes_applications(space):
            return detail_redirect(space)
        if not access.can_apply:
            return deny(request, access)
        return None

    def _render(
        self, request: HttpRequest, space: Space, form: ApplyForm, status: int = 200
    ) -> HttpResponse:
        return render(request, self.template_name, {"space": space, "form": form}, status=status)

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        refusal = self._refusal(request, access)
        if refusal is not None:
            return refusal
        space = access.space
        return self._render(request, space, ApplyForm(questions=list(space.join_questions)))

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        space = access.space
        refusal = self._refusal(request, access)
        if refusal is not None:
            return refusal
        form = ApplyForm(request.POST, questions=list(space.join_questions))
        if form.is_valid():
            try:
                services.apply_to_space(
                    member=current_member(request),
                    space=space,
                    answers=form.answers(),
                    access=access,
                )
            except PermissionDenied:
                return deny(request, access)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Your application was sent. The space's hosts will review it.")
                )
                return detail_redirect(space)
        return self._render(request, space, form, status=400)


class JoinRequestWithdrawView(View):
    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        space = space_or_404(request, slug)
        if not is_signed_in(request.user):
            return sign_in(request, reverse("spaces:space-detail", args=[slug]))
        join_request = selectors.pending_join_request_of(request.user, space)
        if join_request is not None:
            services.withdraw_join_request(
                member=current_member(request), join_request=join_request
            )
            messages.success(request, _("You withdrew your application."))
        else:
            messages.info(request, _("You have no application waiting for this space."))
        return detail_redirect(space)


# ---------------------------------------------------------------- join requests


class SpaceRequestsView(View):
    """The moderators' queue: pending applications first, then the latest decisions."""

    template_name = "spaces/space_requests/index.html"

    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_moderate:
            return deny(request, access)
        return render(request, self.template_name, _requests_page_context(request, access.space))


def _requests_page_context(
    request: HttpRequest, space: Space, forms_by_request: dict[int, DecisionForm] | None = None
) -> dict[str, Any]:
    page = paginate(request, selectors.pending_join_requests(space))
    forms_by_request = forms_by_request or {}
    for join_request in page:
        join_request.form = forms_by_request.get(join_request.pk) or DecisionForm()
    decided = selectors.decided_join_requests(space, DECIDED_HISTORY_LENGTH)
    return {"space": space, "page": page, "decided": decided}


class JoinRequestDecideView(View):
    def post(self, request: HtmxHttpRequest, slug: str, pk: int) -> HttpResponse:
        join_request = selectors.join_request_at(slug, pk)
        if join_request is None:
            raise Http404
        space = join_request.space
        if not is_signed_in(request.user):
            return sign_in(request, reverse("spaces:space-requests", args=[slug]))
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return HttpResponse(_("Choose approve or reject."), status=400)
        try:
            decided = services.decide_join_request(
                actor=current_member(request),
                join_request=join_request,
                approve=form.approves,
                reason=form.cleaned_data["reason"],
            )
        except SpaceAccessDeniedError as denied:
            return deny(request, denied.access)
        except services.MembershipError as error:
            join_request.refresh_from_db()
            if request.htmx:
                return self._fragment(request, join_request, notice=" ".join(error.messages))
            messages.error(request, " ".join(error.messages))
            return redirect("spaces:space-requests", slug=slug)
        except ValidationError as error:
            add_service_errors(form, error)
            if request.htmx:
                join_request.form = form  # type: ignore[attr-defined]
                return self._fragment(request, join_request)
            context = _requests_page_context(request, space, {join_request.pk: form})
            return render(request, SpaceRequestsView.template_name, context, status=400)
        if request.htmx:
            return self._fragment(request, decided)
        if decided.status == JoinRequest.Status.APPROVED:
            messages.success(request, _("%(member)s was approved.") % {"member": decided.applicant})
        else:
            messages.success(request, _("%(member)s was rejected.") % {"member": decided.applicant})
        return redirect("spaces:space-requests", slug=slug)

    def _fragment(
        self, request: HttpRequest, join_request: JoinRequest, notice: str = ""
    ) -> HttpResponse:
        context = {"join_request": join_request, "space": join_request.space, "notice": notice}
        return render(request, "spaces/space_requests/partial.html", context)
