"""After the event (S5, seed 002): the event's discussion thread in its space, the opt-in list
of attendees who want to connect, and connect requests that both sides must accept.

The thread is an ordinary discussion post written through kizuna.content.services (so it is
moderated, indexed and notified like any other), opened the first time someone asks for it
and linked from the event. Only attendees take part in the connect list, and only those who
opted in appear on it: being listed is each attendee's own choice.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kizuna.content.models import Post, PostType
from kizuna.content.services import create_post
from kizuna.events.access import EventAccess
from kizuna.events.followup_models import ConnectionRequest, ConnectionStatus, ConnectOptIn
from kizuna.events.models import Attendance, Event, EventStatus, Registration, RegistrationStatus
from kizuna.identity.models import Member
from kizuna.identity.permissions import Viewer, is_signed_in

# --------------------------------------------------------------- rules


def has_started(event: Event) -> bool:
    return event.status == EventStatus.PUBLISHED and event.starts_at <= timezone.now()


def is_attendee(viewer: Viewer, event: Event) -> bool:
    if not is_signed_in(viewer):
        return False
    return (
        Registration.objects.filter(
            event=event, member_id=viewer.pk, attendance=Attendance.ATTENDED
        )
        .exclude(status=RegistrationStatus.CANCELLED)
        .exists()
    )


def can_open_discussion(access: EventAccess) -> bool:
    """Anyone who sees the event once it has started; those who run it at any time."""
    if not is_signed_in(access.viewer) or access.event.status != EventStatus.PUBLISHED:
        return False
    return access.can_manage or has_started(access.event)


# --------------------------------------------------------------- the discussion thread


def open_discussion(*, access: EventAccess) -> Post:
    """The event's discussion thread, written the first time anyone asks for it.

    Written in the name of whoever created the event (staff or the space's host), in their
    language, or of the member asking when the creator's account is gone. The event's row is
    locked, so two people asking at once start one thread.
    """
    event = access.event
    if event.discussion_post_id is not None:
        return event.discussion_post  # type: ignore[return-value]
    if not can_open_discussion(access):
        raise PermissionDenied("open_discussion")
    with transaction.atomic():
        locked = (
            Event.objects.select_for_update(of=("self",))
            .select_related("created_by", "space", "discussion_post")
            .get(pk=event.pk)
        )
        if locked.discussion_post is not None:
            return locked.discussion_post
        author = locked.created_by or access.viewer
        assert isinstance(author, Member)
        with translation.override(author.language):
            title = _("Discussion: %(title)s") % {"title": locked.title}
            body = _("Questions, take-aways and follow-ups from the event “%(title)s” go here.") % {
                "title": locked.title
            }
        post = create_post(
            author=author,
            space=locked.space,
            post_type=PostType.DISCUSSION,
            title=title[:200],
            body=body,
        )
        locked.discussion_post = post
        locked.save(update_fields=["discussion_post", "updated_at"])
    return post


# --------------------------------------------------------------- the connect list


def _check_attendee(member: Member, event: Event) -> None:
    if not is_attendee(member, event):
        raise ValidationError(
            _("Only people who attended this event can use its connect list."),
            code="not_attended",
        )


def is_opted_in(viewer: Viewer, event: Event) -> bool:
    if not is_signed_in(viewer):
        return False
    return ConnectOptIn.objects.filter(event=event, member_id=viewer.pk).exists()


def set_opt_in(*, member: Member, event: Event, listed: bool) -> bool:
    """Put the attendee on the event's connect list or take them off it; repeating is harmless."""
    _check_attendee(member, event)
    if listed:
        ConnectOptIn.objects.get_or_create(event=event, member=member)
    else:
        ConnectOptIn.objects.filter(event=event, member=member).delete()
    return listed


def connect_list(*, viewer: Member, event: Event) -> QuerySet[ConnectOptIn]:
    """The other attendees on the list, in the order they joined it (paginated by the page);
    empty unless the viewer is on it too."""
    if not is_opted_in(viewer, event):
        return ConnectOptIn.objects.none()
    return (
        ConnectOptIn.objects.filter(event=event)
        .exclude(member_id=viewer.pk)
        .filter(member__is_active=True)
        .select_related("member")
        .order_by("created_at", "id")
    )


def requests_between(viewer: Member, event: Event) -> dict[int, ConnectionRequest]:
    """The viewer's requests at this event, by the other person's id."""
    rows = ConnectionRequest.objects.filter(event=event).filter(
        Q(requester=viewer) | Q(recipient=viewer)
    )
    return {
        (row.recipient_id if row.requester_id == viewer.pk else row.requester_id): row
        for row in rows
    }


def request_connection(*, member: Member, event: Event, other_id: int) -> ConnectionRequest:
    """Ask another listed attendee to connect. If they already asked, this accepts their
    request instead, since both sides have now said yes."""
    _check_attendee(member, event)
    if other_id == member.pk or not is_opted_in(member, event):
        raise ValidationError(
            _("Join the connect list first; then you can ask the others on it."),
            code="not_listed",
        )
    if not ConnectOptIn.objects.filter(event=event, member_id=other_id).exists():
        raise ValidationError(
            _("That person is no longer on this event's connect list."), code="not_listed"
        )
    with transaction.atomic():
        theirs = (
            ConnectionRequest.objects.select_for_update()
            .filter(event=event, requester_id=other_id, recipient=member)
            .first()
        )
        if theirs is not None and theirs.status == ConnectionStatus.PENDING:
            theirs.status = ConnectionStatus.ACCEPTED
            theirs.decided_at = timezone.now()
            theirs.save(update_fields=["status", "decided_at"])
            return theirs
        if theirs is not None and theirs.status == ConnectionStatus.ACCEPTED:
            return theirs
        mine, _created = ConnectionRequest.objects.get_or_create(
            event=event, requester=member, recipient_id=other_id
        )
    return mine


def answer_connection(*, member: Member, request_id: int, accept: bool) -> ConnectionRequest:
    """The recipient accepts or declines a pending request; answering again changes nothing."""
    with transaction.atomic():
        request = (
            ConnectionRequest.objects.select_for_update()
            .filter(pk=request_id, recipient=member)
            .first()
        )
        if request is None:
            raise ValidationError(_("There is no such request to you."), code="not_found")
        if request.status == ConnectionStatus.PENDING:
            request.status = ConnectionStatus.ACCEPTED if accept else ConnectionStatus.DECLINED
            request.decided_at = timezone.now()
            request.save(update_fields=["status", "decided_at"])
    return request


def connections_of(member: Member, event: Event) -> QuerySet[ConnectionRequest]:
    """Accepted connections made at this event, either side."""
    return (
        ConnectionRequest.objects.filter(event=event, status=ConnectionStatus.ACCEPTED)
        .filter(Q(requester=member) | Q(recipient=member))
        .select_related("requester", "recipient")
    )


def pending_requests_to(member: Member, event: Event) -> QuerySet[ConnectionRequest]:
    return ConnectionRequest.objects.filter(
        event=event, recipient=member, status=ConnectionStatus.PENDING
    ).select_related("requester")
