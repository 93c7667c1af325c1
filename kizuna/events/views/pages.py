"""Member pages: the event lists, an event with its register and cancel forms, my events.

Views parse input, call one service or selector, and render; every rule lives in services.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.pagination import paginate
from kizuna.events import selectors, services
from kizuna.events.access import EventAccess, access_event
from kizuna.events.forms import RegistrationForm
from kizuna.events.models import RegistrationStatus
from kizuna.events.permissions import can_manage_events_in, can_see_online_url
from kizuna.identity.staff import signed_in_member
from kizuna.spaces.denied_page import space_denied_page
from kizuna.spaces.permissions import access_space

PAGE_SIZE = 20
UPCOMING = "upcoming"
PAST = "past"


def _tab(request: HttpRequest) -> str:
    return PAST if request.GET.get("tab") == PAST else UPCOMING


def _tabs() -> list[tuple[str, str]]:
    return [(UPCOMING, _("Upcoming")), (PAST, _("Past"))]


class EventListView(View):
    """Every event the viewer may see, across their spaces."""

    def get(self, request: HttpRequest) -> HttpResponse:
        tab = _tab(request)
        events = (
            selectors.past_events(request.user)
            if tab == PAST
            else selectors.upcoming_events(request.user)
        )
        context = {
            "page": paginate(request, events, per_page=PAGE_SIZE),
            "tab": tab,
            "tabs": _tabs(),
            "space": None,
        }
        return render(request, "events/event_list/index.html", context)


class SpaceEventListView(View):
    def get(self, request: HttpRequest, slug: str) -> HttpResponse:
        access = access_space(request.user, slug)
        if not access.can_view_content:
            return space_denied_page(request, access)
        tab = _tab(request)
        events = (
            selectors.past_events(request.user, space=access.space)
            if tab == PAST
            else selectors.upcoming_events(request.user, space=access.space)
        )
        context = {
            "page": paginate(request, events, per_page=PAGE_SIZE),
            "tab": tab,
            "tabs": _tabs(),
            "space": access.space,
            "can_manage": can_manage_events_in(request.user, access),
        }
        return render(request, "events/event_list/index.html", context)


def render_event(
    request: HttpRequest,
    access: EventAccess,
    *,
    form: RegistrationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The event page; a refused registration comes back with its form and the reason."""
    event = access.event
    registration = access.registration
    registered = registration is not None and registration.status != RegistrationStatus.CANCELLED
    if form is None and access.can_register and not registered:
        form = RegistrationForm(event=event)
    seats_left = selectors.seats_left(event)
    context: dict[str, Any] = {
        "event": event,
        "access": access,
        "registration": registration if registered else None,
        "waitlist_position": (
            selectors.waitlist_position(registration) if registration is not None else None
        ),
        "seats_left": seats_left,
        "all_full": not any(seats_left.values()),
        "is_over": event.ends_at <= timezone.now(),
        "capacities": {seat: event.capacity_of(seat) for seat in event.seat_kinds},
        "speakers": list(event.speakers.select_related("member")),
        "materials": list(event.materials.all()),
        "tags": list(event.tags.all()),
        "form": form,
        "shows_online_url": bool(event.online_url)
        and can_see_online_url(request.user, registration, manages=access.can_manage),
    }
    return render(request, "events/event_detail/index.html", context, status=status)


class EventDetailView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render_event(request, access_event(request.user, pk))


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


class RegisterView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(request.user, pk)
        form = RegistrationForm(request.POST, event=access.event)
        if not form.is_valid():
            return render_event(request, access, form=form, status=400)
        try:
            registration = services.register(
                member=signed_in_member(request),
                event=access.event,
                seat=form.cleaned_data["seat"],
                answers=form.answers(),
                access=access,
            )
        except ValidationError as error:
            form.add_error(None, _error_text(error))
            return render_event(request, access, form=form, status=400)
        if registration.is_confirmed:
            messages.success(request, _("You are registered. See you there!"))
        else:
            messages.info(
                request,
                _(
                    "The seats are full, so you are on the waitlist. If a seat frees up, "
                    "you get it automatically."
                ),
            )
        return redirect("events:event-detail", pk=access.event.pk)


class CancelRegistrationView(LoginRequiredMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(request.user, pk)
        try:
            services.cancel_registration(member=signed_in_member(request), event=access.event)
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("events:event-detail", pk=access.event.pk)


class MyRegistrationsView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        registrations = selectors.registrations_of(signed_in_member(request))
        context = {
            "page": paginate(request, registrations, per_page=PAGE_SIZE),
            "now": timezone.now(),
        }
        return render(request, "events/my_registrations/index.html", context)
