"""Check-in pages: the member's own QR code, the page its link opens for the organisers, and the
check-in button of the staff registrants list. The rules live in kizuna.events.checkin."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from kizuna.core.navigation import safe_next_path
from kizuna.events import checkin
from kizuna.events.access import EventAccess, access_event
from kizuna.identity.staff import signed_in_member


def _error_text(error: checkin.CheckInError) -> str:
    return " ".join(error.messages)


def _report(request: HttpRequest, result: checkin.CheckIn) -> None:
    name = result.registration.member.name
    if result.already:
        messages.info(request, _("%(name)s was already checked in.") % {"name": name})
    else:
        messages.success(request, _("%(name)s is checked in.") % {"name": name})


class MyCheckInCodeView(LoginRequiredMixin, View):
    """The member's QR code to show at the reception (confirmed registrants only)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(signed_in_member(request), pk)
        registration = access.registration
        confirmed = registration is not None and registration.is_confirmed
        context = {
            "event": access.event,
            "registration": registration,
            "qr_svg": checkin.checkin_qr_svg(registration) if confirmed and registration else "",
        }
        return render(request, "events/checkin/my_code.html", context)


def _render_scan(
    request: HttpRequest, access: EventAccess, code: str, *, error: str = "", status: int = 200
) -> HttpResponse:
    registration = None
    if not error:
        try:
            registration = checkin.registration_for_code(access, code)
        except checkin.CheckInError as refused:
            error, status = _error_text(refused), 400
    context = {"event": access.event, "registration": registration, "error": error}
    return render(request, "events/checkin/scan.html", context, status=status)


class CheckInByCodeView(LoginRequiredMixin, View):
    """The page a scanned QR code opens: organisers see who it is and check them in."""

    def get(self, request: HttpRequest, pk: int, code: str) -> HttpResponse:
        access = access_event(signed_in_member(request), pk)
        if not access.can_manage:
            return _render_scan(
                request,
                access,
                code,
                error=_(
                    "Only the event's organisers can check members in. Show this code at the reception."
                ),
                status=403,
            )
        return _render_scan(request, access, code)

    def post(self, request: HttpRequest, pk: int, code: str) -> HttpResponse:
        member = signed_in_member(request)
        access = access_event(member, pk)
        try:
            registration = checkin.registration_for_code(access, code)
            result = checkin.check_in(actor=member, access=access, registration_id=registration.pk)
        except checkin.CheckInError as refused:
            status = 403 if refused.code == "not_allowed" else 400
            return _render_scan(request, access, code, error=_error_text(refused), status=status)
        _report(request, result)
        return redirect(request.path)


class CheckInRegistrationView(LoginRequiredMixin, View):
    """The check-in button on the staff registrants list."""

    def post(self, request: HttpRequest, pk: int, registration_id: int) -> HttpResponse:
        member = signed_in_member(request)
        access = access_event(member, pk)
        try:
            result = checkin.check_in(actor=member, access=access, registration_id=registration_id)
        except checkin.CheckInError as refused:
            messages.error(request, _error_text(refused))
        else:
            _report(request, result)
        back = safe_next_path(request, request.POST.get("next", ""))
        return redirect(back or reverse("events:event-detail", args=[access.event.pk]))
