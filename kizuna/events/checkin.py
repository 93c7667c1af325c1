"""Check-in by QR code: a signed code per registration, the link it encodes, and the check-in.

The code signs the registration's id together with its event's id (django.core.signing with
a salt of its own), so nothing secret is stored, a forged or altered code fails the
signature, and a genuine code shown at another event's reception is refused. Checking in
is recording attendance through kizuna.events.services.mark_attendance, so points and
badges follow as they do from the staff list; a second scan changes nothing.
"""

from dataclasses import dataclass

import segno
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kizuna.events import services
from kizuna.events.access import EventAccess
from kizuna.events.models import Attendance, EventStatus, Registration, RegistrationStatus
from kizuna.identity.models import Member

CHECKIN_SALT = "kizuna.events.checkin"
QR_SCALE = 6


class CheckInError(ValidationError):
    """A check-in refused, with the reason in words the person at the reception understands."""


@dataclass(frozen=True)
class CheckIn:
    registration: Registration
    # A repeat scan: the registration keeps the time of the first check-in.
    already: bool


def checkin_code(registration: Registration) -> str:
    return signing.dumps({"r": registration.pk, "e": registration.event_id}, salt=CHECKIN_SALT)


def checkin_url(registration: Registration) -> str:
    path = reverse("events:check-in", args=[registration.event_id, checkin_code(registration)])
    return str(settings.KIZUNA_SITE_URL).rstrip("/") + path


def checkin_qr_svg(registration: Registration) -> SafeString:
    """The check-in link as an inline SVG QR code (segno builds it from our own URL only)."""
    svg = segno.make(checkin_url(registration), error="m").svg_inline(
        scale=QR_SCALE, title=escape(_("Check-in code")), border=2, light="#fff"
    )
    # Safe: segno draws paths from a URL we built, and the only text, the title, is escaped.
    return mark_safe(svg)


def registration_for_code(access: EventAccess, code: str) -> Registration:
    """The registration a scanned code stands for, at the event the reception is for."""
    try:
        payload = signing.loads(code, salt=CHECKIN_SALT)
        registration_id, event_id = int(payload["r"]), int(payload["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise CheckInError(
            _("This is not a valid check-in code. Ask the member to open their code again."),
            code="invalid_code",
        ) from error
    if event_id != access.event.pk:
        raise CheckInError(_("This check-in code is for a different event."), code="other_event")
    registration = Registration.objects.select_related("member").filter(pk=registration_id).first()
    if registration is None or registration.event_id != event_id:
        raise CheckInError(
            _("This registration no longer exists. Check the registrants list."),
            code="invalid_code",
        )
    return registration


def check_in(*, actor: Member, access: EventAccess, registration_id: int) -> CheckIn:
    """Check a confirmed registrant in; a repeat (a second scan, a re-posted form) changes
    nothing and says when they were checked in."""
    if not access.can_manage:
        raise CheckInError(
            _("Only the event's organisers can check members in."), code="not_allowed"
        )
    event = access.event
    if event.status == EventStatus.CANCELLED:
        raise CheckInError(_("This event was cancelled."), code="cancelled")
    registration = (
        Registration.objects.select_related("member")
        .filter(pk=registration_id, event=event)
        .first()
    )
    if registration is None:
        raise CheckInError(
            _("That person has no registration for this event."), code="not_registered"
        )
    if registration.status != RegistrationStatus.CONFIRMED:
        raise CheckInError(
            _("%(name)s has no confirmed seat (on the waitlist or cancelled).")
            % {"name": registration.member.name},
            code="not_confirmed",
        )
    if registration.checked_in_at is not None:
        return CheckIn(registration, already=True)
    recorded = services.mark_attendance(
        actor=actor,
        event=event,
        registration_id=registration.pk,
        attendance=Attendance.ATTENDED,
        access=access,
        checked_in=True,
    )
    return CheckIn(recorded, already=False)
