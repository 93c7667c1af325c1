"""Pages for those who run a space's events: the event form, publishing and cancelling, and
the registrants list with attendance.

The services decide who may do each thing (kizuna.events.permissions); these views only
hide the pages from everyone else with the same rule.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.forms import add_service_errors
from kizuna.core.pagination import paginate
from kizuna.events import selectors, services
from kizuna.events.access import EventAccess, access_event
from kizuna.events.forms import AttendanceForm, EventForm, SpeakerForm
from kizuna.events.permissions import can_manage_events_in
from kizuna.identity.models import Member
from kizuna.identity.staff import signed_in_member
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import SpaceAccess, access_space

REGISTRANTS_PER_PAGE = 50


def _managed_space(request: HttpRequest, slug: str) -> SpaceAccess:
    access = access_space(request.user, slug)
    if not can_manage_events_in(request.user, access):
        raise Http404
    return access


def _managed_event(request: HttpRequest, pk: int) -> EventAccess:
    access = access_event(request.user, pk)
    if not access.can_manage:
        raise Http404
    return access


def _facilitators(space: Space) -> QuerySet[Member]:
    """The space's members and the staff: those who can facilitate its events."""
    return (
        Member.objects.filter(is_active=True)
        .filter(Q(space_memberships__space=space) | ~Q(staff_role=""))
        .distinct()
        .order_by("name_reading", "display_name", "pk")
    )


class EventCreateView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = _managed_space(request, slug)
        form = EventForm(facilitators=_facilitators(access.space))
        return self._render(request, access.space, form)

    def post(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = _managed_space(request, slug)
        form = EventForm(request.POST, facilitators=_facilitators(access.space))
        if form.is_valid():
            try:
                event = services.create_event(
                    actor=signed_in_member(request),
                    space=access.space,
                    details=form.details(),
                    access=access,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The event is saved as a draft. Publish it when ready.")
                )
                return redirect("events:event-detail", pk=event.pk)
        return self._render(request, access.space, form, status=400)

    def _render(
        self, request: HttpRequest, space: Space, form: EventForm, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "space": space, "event": None}
        return render(request, "events/event_form/index.html", context, status=status)


class EventEditView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = _managed_event(request, pk)
        event = access.event
        form = EventForm(
            initial=EventForm.initial_for(event), facilitators=_facilitators(event.space)
        )
        return self._render(request, access, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = _managed_event(request, pk)
        form = EventForm(request.POST, facilitators=_facilitators(access.event.space))
        if form.is_valid():
            try:
                services.update_event(
                    actor=signed_in_member(request),
                    event=access.event,
                    details=form.details(),
                    access=access,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The event is updated."))
                return redirect("events:event-detail", pk=access.event.pk)
        return self._render(request, access, form, status=400)

    def _render(
        self, request: HttpRequest, access: EventAccess, form: EventForm, status: int = 200
    ) -> HttpResponse:
        context = {"form": form, "space": access.event.space, "event": access.event}
        return render(request, "events/event_form/index.html", context, status=status)


class EventActionView(LoginRequiredMixin, View):
    """Publish or cancel an event."""

    def post(self, request: HttpRequest, pk: int, action: str) -> HttpResponse:
        access = _managed_event(request, pk)
        actor = signed_in_member(request)
        try:
            if action == "publish":
                services.publish_event(actor=actor, event=access.event, access=access)
                messages.success(request, _("The event is published."))
            elif action == "cancel":
                services.cancel_event(actor=actor, event=access.event, access=access)
                messages.success(request, _("The event is cancelled."))
            else:
                raise Http404
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("events:event-detail", pk=access.event.pk)


class RegistrantsView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = _managed_event(request, pk)
        page = paginate(
            request, selectors.registrants_of(access.event), per_page=REGISTRANTS_PER_PAGE
        )
        context = {
            "event": access.event,
            "page": page,
            "seats_left": selectors.seats_left(access.event),
            "questions": access.event.registration_questions,
        }
        return render(request, "events/registrants/index.html", context)


class AttendanceView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
        access = _managed_event(request, pk)
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose attended, no-show or not recorded."))
        else:
            try:
                services.mark_attendance(
                    actor=signed_in_member(request),
                    event=access.event,
                    registration_id=registration_id,
                    attendance=form.cleaned_data["attendance"],
                    access=access,
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        response = redirect("events:event-registrants", pk=access.event.pk)
        page = request.POST.get("page", "")
        if page.isdigit():
            response["Location"] += f"?page={page}"
        return response


class SpeakersView(LoginRequiredMixin, View):
    """The event's speakers, with a form to add one and a button to remove each."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = _managed_event(request, pk)
        form = SpeakerForm(members=_facilitators(access.event.space))
        return self._render(request, access, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = _managed_event(request, pk)
        actor = signed_in_member(request)
        remove = request.POST.get("remove", "")
        if remove:
            if remove.isdigit():
                services.remove_speaker(
                    actor=actor, event=access.event, speaker_id=int(remove), access=access
                )
            return redirect("events:event-speakers", pk=access.event.pk)
        form = SpeakerForm(request.POST, members=_facilitators(access.event.space))
        if form.is_valid():
            try:
                services.add_speaker(
                    actor=actor, event=access.event, details=form.details(), access=access
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The speaker is added."))
                return redirect("events:event-speakers", pk=access.event.pk)
        return self._render(request, access, form, status=400)

    def _render(
        self, request: HttpRequest, access: EventAccess, form: SpeakerForm, status: int = 200
    ) -> HttpResponse:
        context = {
            "event": access.event,
            "speakers": access.event.speakers.select_related("member"),
            "form": form,
        }
        return render(request, "events/speakers/index.html", context, status=status)
