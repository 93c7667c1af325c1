"""Cohort pages: programmes, a participant's map with its current phase, the diff between two
phases, feedback, and the review (感想戦).

Edits on the map page post through HTMX and get the editor back, with an `HX-Trigger:
cohort-map-changed` header the diagram listens to; without HTMX they redirect to the map.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.cohorts import selectors, services
from kizuna.cohorts.access import MapAccess, access_map, access_programme
from kizuna.cohorts.models import Element, ElementKind, Feedback, ObjectiveStatus, Phase
from kizuna.cohorts.permissions import can_create_programme
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.numbers import parse_positive_integer
from kizuna.core.pagination import paginate
from kizuna.identity.staff import signed_in_member

PAGE_SIZE = 20
MAP_CHANGED_EVENT = "cohort-map-changed"


def _phase(access: MapAccess, number: str | None) -> Phase:
    phases = selectors.phases_of(access.project_map)
    wanted = parse_positive_integer(number)
    phase = phases.filter(number=wanted).first() if wanted else phases.order_by("-number").first()
    if phase is None:
        raise Http404
    return phase


def _ids(values: list[str]) -> list[int]:
    return [pk for pk in map(parse_positive_integer, values) if pk is not None]


class ProgrammeListView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        page = paginate(request, selectors.programmes_for(request.user), per_page=PAGE_SIZE)
        context = {"page": page, "can_create": can_create_programme(request.user)}
        return render(request, "cohorts/programme_list.html", context)


class ProgrammeDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_programme(request.user, pk)
        page = paginate(request, selectors.maps_of_programme(access.programme), per_page=PAGE_SIZE)
        context = {
            "access": access,
            "programme": access.programme,
            "sessions": access.programme.sessions.all(),
            "page": page,
        }
        return render(request, "cohorts/programme_detail.html", context)


def _map_context(request: HttpRequest, access: MapAccess, phase: Phase) -> dict[str, Any]:
    latest = selectors.latest_phase(access.project_map)
    return {
        "access": access,
        "project_map": access.project_map,
        "programme": access.programme,
        "phase": phase,
        "phases": selectors.phases_of(access.project_map),
        "is_latest": latest is not None and latest.pk == phase.pk,
        "editable": access.can_edit and latest is not None and latest.pk == phase.pk,
        "elements": selectors.phase_elements(phase),
        "statuses": ObjectiveStatus.choices,
        "addable_kinds": [
            (kind, label) for kind, label in ElementKind.choices if kind != ElementKind.FACTOR
        ],
        "feedback_page": paginate(request, selectors.feedback_on(phase), per_page=PAGE_SIZE),
        "progress": selectors.project_progress(access.project_map),
    }


class MapView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_map(request.user, pk)
        phase = _phase(access, request.GET.get("phase"))
        return render(request, "cohorts/map.html", _map_context(request, access, phase))


class MapEditView(LoginRequiredMixin, View):
    """One edit of the latest phase: the `action` in the URL names the service to call."""

    def post(self, request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
        access = access_map(request.user, pk)
        actor = signed_in_member(request)
        phase = _phase(access, None)
        data = request.POST
        try:
            if action == "status":
                services.set_objective_status(
                    actor=actor,
                    element=self._element(phase, data.get("element", "")),
                    status=data.get("status", ""),
                    access=access,
                )
            elif action == "add":
                services.add_element(
                    actor=actor,
                    phase=phase,
                    kind=data.get("kind", ""),
                    text=data.get("text", ""),
                    target=data.get("target", ""),
                    objective_ids=_ids(data.getlist("objectives")),
                    access=access,
                )
            elif action == "edit":
                element = self._element(phase, data.get("element", ""))
                services.edit_element(
                    actor=actor,
                    element=element,
                    text=data.get("text", ""),
                    target=data.get("target", ""),
                    objective_ids=_ids(data.getlist("objectives"))
                    if element.kind == ElementKind.MEASURE
                    else None,
                    access=access,
                )
            elif action == "remove":
                services.remove_element(
                    actor=actor,
                    element=self._element(phase, data.get("element", "")),
                    access=access,
                )
            elif action == "notes":
                services.update_phase_notes(
                    actor=actor,
                    phase=phase,
                    happened=data.get("happened", ""),
                    results=data.get("results", ""),
                    decisions=data.get("decisions", ""),
                    insight=data.get("insight", ""),
                    access=access,
                )
            elif action == "next-phase":
                phase = services.open_next_phase(
                    actor=actor, project_map=access.project_map, access=access
                )
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if not request.htmx:
            return redirect(reverse("cohorts:map", args=[pk]))
        response = render(
            request, "cohorts/includes/editor.html", _map_context(request, access, phase)
        )
        response["HX-Trigger"] = MAP_CHANGED_EVENT
        return response

    @staticmethod
    def _element(phase: Phase, value: str) -> Element:
        pk = parse_positive_integer(value)
        element = phase.elements.filter(pk=pk).first() if pk else None
        if element is None:
            raise Http404
        return element


class FeedbackView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_map(request.user, pk)
        phase = _phase(access, request.POST.get("phase"))
        try:
            services.add_feedback(
                actor=signed_in_member(request),
                phase=phase,
                body=request.POST.get("body", ""),
                access=access,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('cohorts:map', args=[pk])}?phase={phase.number}#feedback")


class PromoteView(LoginRequiredMixin, View):
    """Staff running the programme keep a comment or a phase's insight as a knowledge article."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_map(request.user, pk)
        phase = _phase(access, request.POST.get("phase"))
        actor = signed_in_member(request)
        title = request.POST.get("title", "")
        try:
            feedback_id = request.POST.get("feedback", "")
            if feedback_id:
                feedback = Feedback.objects.filter(
                    phase=phase, pk=parse_positive_integer(feedback_id) or 0
                ).first()
                if feedback is None:
                    raise Http404
                services.promote_feedback_to_knowledge(
                    actor=actor,
                    feedback=feedback,
                    title=title,
                    body=feedback.body,
                    access=access.programme_access,
                )
            else:
                services.promote_insight_to_knowledge(
                    actor=actor,
                    phase=phase,
                    title=title,
                    body=phase.insight,
                    access=access.programme_access,
                )
            messages.success(request, _("Saved as a knowledge article."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect(f"{reverse('cohorts:map', args=[pk])}?phase={phase.number}#feedback")


class DiffView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_map(request.user, pk)
        phases = list(selectors.phases_of(access.project_map))
        if not phases:
            raise Http404
        later = _phase(access, request.GET.get("to"))
        default_from = str(max(later.number - 1, 1))
        earlier = _phase(access, request.GET.get("from") or default_from)
        context = {
            "access": access,
            "project_map": access.project_map,
            "phases": phases,
            "earlier": earlier,
            "later": later,
            "diffs": [d for d in selectors.phase_diff(earlier, later) if d.change != "unchanged"],
        }
        return render(request, "cohorts/diff.html", context)


class ReviewView(LoginRequiredMixin, View):
    """感想戦: every phase in order with its notes, and the progress across them."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_map(request.user, pk)
        page = paginate(request, selectors.phases_of(access.project_map), per_page=PAGE_SIZE)
        context = {
            "access": access,
            "project_map": access.project_map,
            "page": page,
            "progress": selectors.project_progress(access.project_map),
        }
        return render(request, "cohorts/review.html", context)
