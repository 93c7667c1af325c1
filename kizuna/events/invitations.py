"""Invitations to an event for a chosen set of members, and how far each invitation went:
invited → registered → attended (S5: invitations by segment).

Those who run the event choose members by space, challenge tags (the members' interests),
level and customer account; only active members who may see the event are invited, each
once. The invitation is committed first and its email queued on commit
(`send_event_invitation`, idempotent by `emailed_at`). Registered and attended are read from
the member's registration, never stored twice.
"""

from dataclasses import dataclass, field
from functools import partial

from celery import shared_task
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.core.audit import record_audit
from kizuna.customers.models import CustomerAccount
from kizuna.events.access import EventAccess
from kizuna.events.followup_models import EventInvitation
from kizuna.events.models import Attendance, Event, EventStatus, Registration, RegistrationStatus
from kizuna.events.permissions import can_view_event
from kizuna.events.reminders import local_time
from kizuna.gamification.models import Level
from kizuna.gamification.selectors import lifetime_points_expression
from kizuna.identity.models import Interest, Member
from kizuna.spaces.models import Space
from kizuna.spaces.permissions import get_space_access

# One send reaches at most this many people; a larger segment is invited in several sends.
MAX_INVITATIONS_PER_SEND = 500


@dataclass(frozen=True)
class InviteeFilter:
    """Members to invite: every condition given must hold (challenge tags: any of them)."""

    space: Space | None = None
    interests: tuple[Interest, ...] = field(default_factory=tuple)
    level: Level | None = None
    account: CustomerAccount | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.space or self.interests or self.level or self.account)


def matching_members(criteria: InviteeFilter) -> QuerySet[Member]:
    """Active members who meet the filter, in id order."""
    members = Member.objects.filter(is_active=True)
    if criteria.space is not None:
        members = members.filter(space_memberships__space=criteria.space)
    if criteria.interests:
        members = members.filter(interests__in=criteria.interests)
    if criteria.account is not None:
        members = members.filter(account_link__account=criteria.account)
    if criteria.level is not None:
        higher = (
            Level.objects.filter(threshold__gt=criteria.level.threshold)
            .order_by("threshold")
            .values_list("threshold", flat=True)
            .first()
        )
        members = members.annotate(points=lifetime_points_expression()).filter(
            points__gte=criteria.level.threshold
        )
        if higher is not None:
            members = members.filter(points__lt=higher)
    return members.distinct().order_by("id")


def _check_can_invite(access: EventAccess) -> None:
    if not access.can_manage:
        raise PermissionDenied("invite_to_event")
    event = access.event
    if event.status != EventStatus.PUBLISHED or event.ends_at <= timezone.now():
        raise ValidationError(
            _("Invitations go out only for published events that have not ended."),
            code="not_open",
        )


def invite_members(
    *, actor: Member, access: EventAccess, criteria: InviteeFilter
) -> list[EventInvitation]:
    """Invite the members the filter finds who may see the event and were not invited or
    registered already; returns the new invitations (empty when everyone had one)."""
    _check_can_invite(access)
    if criteria.is_empty:
        raise ValidationError(
            _("Choose at least one condition, so the event does not go to everyone."),
            code="empty_filter",
        )
    event = access.event
    already = EventInvitation.objects.filter(event=event).values("member_id")
    registered = Registration.objects.filter(event=event).values("member_id")
    candidates = (
        matching_members(criteria)
        .exclude(pk__in=already)
        .exclude(pk__in=registered)[:MAX_INVITATIONS_PER_SEND]
    )
    invitees = [
        member
        for member in candidates
        if can_view_event(member, event, get_space_access(member, event.space))
    ]
    with transaction.atomic():
        EventInvitation.objects.bulk_create(
            [EventInvitation(event=event, member=member, invited_by=actor) for member in invitees],
            ignore_conflicts=True,
        )
        created = list(
            EventInvitation.objects.filter(
                event=event, member__in=invitees, invited_by=actor, emailed_at__isnull=True
            )
        )
        record_audit(
            actor=actor,
            action="events.members_invited",
            target=event,
            details={"invited": len(created)},
        )
        for invitation in created:
            transaction.on_commit(partial(send_event_invitation.delay, invitation.pk), robust=True)
    return created


# --------------------------------------------------------------- tracking


def invitation_tracking(event: Event) -> QuerySet[EventInvitation]:
    """The event's invitations, newest first, each with `registration_status` and
    `attendance` of the member's registration (None when they never registered)."""
    registration = Registration.objects.filter(event=event, member_id=OuterRef("member_id"))
    return (
        EventInvitation.objects.filter(event=event)
        .select_related("member")
        .annotate(
            registration_status=Subquery(registration.values("status")[:1]),
            attendance=Subquery(registration.values("attendance")[:1]),
        )
        .order_by("-created_at", "-id")
    )


@dataclass(frozen=True)
class InvitationFunnel:
    invited: int
    registered: int
    attended: int


def invitation_funnel(event: Event) -> InvitationFunnel:
    """How many were invited, how many of them hold a registration (not cancelled), and how
    many of those attended."""
    invited_ids = EventInvitation.objects.filter(event=event).values("member_id")
    registrations = Registration.objects.filter(event=event, member_id__in=invited_ids).exclude(
        status=RegistrationStatus.CANCELLED
    )
    return InvitationFunnel(
        invited=EventInvitation.objects.filter(event=event).count(),
        registered=registrations.count(),
        attended=registrations.filter(attendance=Attendance.ATTENDED).count(),
    )


# --------------------------------------------------------------- the email


def _site_url(path: str) -> str:
    return str(settings.KIZUNA_SITE_URL).rstrip("/") + path


def send_invitation_email(*, invitation_id: int) -> bool:
    """Email one invitation once; nothing for someone who can no longer see the event, whose
    account was closed, or when the event is off or over."""
    with transaction.atomic():
        invitation = (
            EventInvitation.objects.select_for_update(of=("self",))
            .select_related("event", "event__space", "event__space__parent", "member")
            .filter(pk=invitation_id, emailed_at__isnull=True)
            .first()
        )
        if invitation is None:
            return False
        event, member = invitation.event, invitation.member
        if (
            not member.is_active
            or event.status != EventStatus.PUBLISHED
            or event.ends_at <= timezone.now()
            or not can_view_event(member, event, get_space_access(member, event.space))
        ):
            return False
        with translation.override(member.language):
            context = {
                "member": member,
                "event": event,
                "community": settings.KIZUNA_COMMUNITY,
                "starts": local_time(event.starts_at, member),
                "event_url": _site_url(reverse("events:event-detail", args=[event.pk])),
            }
            subject = render_to_string("events/invitations/email_subject.txt", context)
            body = render_to_string("events/invitations/email_message.txt", context)
        invitation.emailed_at = timezone.now()
        invitation.save(update_fields=["emailed_at"])
        EmailMessage(subject=" ".join(subject.split()), body=body, to=[member.email]).send()
    return True


@shared_task(acks_late=True, reject_on_worker_lost=True)
def send_event_invitation(invitation_id: int) -> None:
    send_invitation_email(invitation_id=invitation_id)
