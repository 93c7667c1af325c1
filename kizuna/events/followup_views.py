"""Pages after and around an event: the survey, the discussion thread, the connect list, and for
those who run events, invitations with their tracking and the KPI page.

Each view fetches the event with `access_event` once, calls one service or selector, and
renders; the rules live in surveys, connections, invitations and kpis.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import paginate
from kizuna.events import connections, invitations, kpis, materials, surveys
from kizuna.events.access import EventAccess, access_event
from kizuna.events.followup_forms import InviteeFilterForm, MaterialForm, SurveyForm
from kizuna.events.permissions import MANAGE_EVENTS
from kizuna.identity.staff import StaffPageMixin, signed_in_member

PAGE_SIZE = 25


def _detail(access: EventAccess) -> HttpResponse:
    return redirect("events:event-detail", pk=access.event.pk)


# --------------------------------------------------------------- survey


class SurveyView(LoginRequiredMixin, View):
    def _render(
        self, request: HttpRequest, access: EventAccess, form: SurveyForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "event": access.event,
            "form": form,
            "is_open": surveys.survey_is_open(access.event),
            "may_answer": surveys.attended_registration(request.user, access.event) is not None,
            "closes_at": surveys.survey_closes_at(access.event),
        }
        return render(request, "events/survey/index.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(request.user, pk)
        registration = surveys.attended_registration(request.user, access.event)
        earlier = surveys.response_of(registration)
        initial = (
            {
                "satisfaction": earlier.satisfaction,
                "recommend": earlier.recommend,
                "comment": earlier.comment,
            }
            if earlier
            else None
        )
        return self._render(request, access, SurveyForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(request.user, pk)
        form = SurveyForm(request.POST)
        if not form.is_valid():
            return self._render(request, access, form, status=400)
        try:
            surveys.submit_survey(
                member=signed_in_member(request),
                event=access.event,
                answers=surveys.SurveyAnswers(
                    form.cleaned_data["satisfaction"],
                    form.cleaned_data["recommend"],
                    form.cleaned_data["comment"],
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, access, form, status=409)
        messages.success(request, _("Thank you. Your answers are saved."))
        return _detail(access)


# --------------------------------------------------------------- discussion and connect list


class DiscussionView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(request.user, pk)
        try:
            post = connections.open_discussion(access=access)
        except PermissionDenied:
            messages.error(request, _("The discussion opens when the event starts."))
            return _detail(access)
        return redirect("content:post-detail", pk=post.pk)


class ConnectView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(request.user, pk)
        member, event = signed_in_member(request), access.event
        page = paginate(
            request, connections.connect_list(viewer=member, event=event), per_page=PAGE_SIZE
        )
        asked = connections.requests_between(member, event)
        context = {
            "event": event,
            "is_attendee": connections.is_attendee(member, event),
            "is_listed": connections.is_opted_in(member, event),
            "page": page,
            "rows": [(row, asked.get(row.member_id)) for row in page.object_list],
            "incoming": connections.pending_requests_to(member, event),
            "connected": connections.connections_of(member, event),
        }
        return render(request, "events/connect/index.html", context)


class ConnectOptInView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(request.user, pk)
        listed = request.POST.get("listed") == "1"
        try:
            connections.set_opt_in(
                member=signed_in_member(request), event=access.event, listed=listed
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("You are on the connect list.")
                if listed
                else _("You are no longer on the connect list."),
            )
        return redirect("events:event-connect", pk=pk)


class ConnectRequestView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
        access = access_event(request.user, pk)
        try:
            connections.request_connection(
                member=signed_in_member(request), event=access.event, other_id=member_id
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your request to connect is sent."))
        return redirect("events:event-connect", pk=pk)


class ConnectAnswerView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
        access_event(request.user, pk)
        accept = request.POST.get("answer") == "accept"
        try:
            connections.answer_connection(
                member=signed_in_member(request), request_id=request_id, accept=accept
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("events:event-connect", pk=pk)


# --------------------------------------------------------------- staff: invitations and KPIs


class InvitationsView(LoginRequiredMixin, View):
    def _render(
        self, request: HttpRequest, access: EventAccess, form: InviteeFilterForm, status: int = 200
    ) -> HttpResponse:
        event = access.event
        context = {
            "event": event,
            "form": form,
            "funnel": invitations.invitation_funnel(event),
            "page": paginate(request, invitations.invitation_tracking(event), per_page=PAGE_SIZE),
        }
        return render(request, "events/invitations/index.html", context, status=status)

    def _access(self, request: HttpRequest, pk: int) -> EventAccess:
        access = access_event(request.user, pk)
        if not access.can_manage:
            raise PermissionDenied("invite_to_event")
        return access

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._access(request, pk), InviteeFilterForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._access(request, pk)
        form = InviteeFilterForm(request.POST)
        if not form.is_valid():
            return self._render(request, access, form, status=400)
        try:
            sent = invitations.invite_members(
                actor=signed_in_member(request), access=access, criteria=form.criteria()
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, access, form, status=409)
        messages.success(
            request,
            _("%(count)s members invited.") % {"count": len(sent)}
            if sent
            else _("Nobody new to invite: everyone who matches was invited or registered."),
        )
        return redirect("events:event-invitations", pk=pk)


class MaterialsView(LoginRequiredMixin, View):
    def _access(self, request: HttpRequest, pk: int) -> EventAccess:
        access = access_event(request.user, pk)
        if not access.can_manage:
            raise PermissionDenied("manage_event")
        return access

    def _render(
        self, request: HttpRequest, access: EventAccess, form: MaterialForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "event": access.event,
            "form": form,
            "materials": access.event.materials.all(),
        }
        return render(request, "events/materials/index.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self._access(request, pk), MaterialForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = self._access(request, pk)
        remove = request.POST.get("remove", "")
        if remove.isdigit():
            materials.remove_material(
                actor=signed_in_member(request), access=access, material_id=int(remove)
            )
            return redirect("events:event-materials", pk=pk)
        form = MaterialForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, access, form, status=400)
        try:
            materials.add_material(
                actor=signed_in_member(request),
                access=access,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                url=form.cleaned_data["url"],
                file=form.cleaned_data["file"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, access, form, status=400)
        messages.success(request, _("The material is added to the event page."))
        return redirect("events:event-materials", pk=pk)


class KpiView(StaffPageMixin, View):
    required_capability = MANAGE_EVENTS

    def get(self, request: HttpRequest) -> HttpResponse:
        quarter = kpis.Quarter.parse(request.GET.get("quarter", "")) or kpis.Quarter.of(
            timezone.localdate()
        )
        page = paginate(request, kpis.events_in_quarter(quarter), per_page=PAGE_SIZE)
        per_event = kpis.kpis_for_events(page.object_list)
        context = {
            "quarter": quarter,
            "totals": kpis.quarter_kpis(quarter),
            "page": page,
            "rows": [(event, per_event[event.pk]) for event in page.object_list],
        }
        return render(request, "events/kpis/index.html", context)
