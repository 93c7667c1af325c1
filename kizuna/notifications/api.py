"""The notifications API: the acting member's in-app notifications and the bell's count.

A notification about a post the member can no longer read keeps its kind and day, but
loses the post's title and identifiers, who acted and the time of day (`is_redacted`).
"""

import datetime

from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate
from ninja.params.functions import Path as PathParam

from kizuna.core.api_errors import ERROR_RESPONSES
from kizuna.core.api_pagination import LimitOffsetPage, Rows
from kizuna.core.api_types import ID_MAX
from kizuna.identity.api_auth import api_auth, get_actor
from kizuna.identity.models import ApiKey
from kizuna.identity.schemas import MemberRefOut
from kizuna.notifications.models import Notification
from kizuna.notifications.schemas import (
    MarkedReadOut,
    NotificationOut,
    NotificationPageOut,
    UnreadCountOut,
)
from kizuna.notifications.selectors import (
    count_unread_notifications,
    describe_notification,
    is_recognition,
    is_redacted,
    list_notifications_for,
)
from kizuna.notifications.services import mark_all_notifications_read, mark_notification_read

router = Router()

READ = api_auth(ApiKey.Scope.NOTIFICATIONS_READ)
WRITE = api_auth(ApiKey.Scope.NOTIFICATIONS_WRITE)


def _is_post_visible(notification: Notification) -> bool:
    # Annotated by `list_notifications_for`.
    return bool(getattr(notification, "is_post_visible", False))


def _notification_out(notification: Notification, *, is_post_visible: bool) -> NotificationOut:
    redacted = is_redacted(notification, is_post_visible=is_post_visible)
    actor = None if redacted else notification.actor
    created_at = notification.created_at
    if redacted:
        created_at = created_at.astimezone(datetime.UTC).replace(
            hour=0, minute=0, second=0, microsecond=0
        )
    # A recognition notice is about the member's own level, badge or redemption.
    shows_target = is_post_visible or is_recognition(notification)
    return NotificationOut(
        id=notification.pk,
        kind=notification.kind,  # type: ignore[arg-type]
        text=describe_notification(notification, is_post_visible=is_post_visible),
        actor=MemberRefOut.of(actor) if actor is not None else None,
        post_id=notification.post_id if is_post_visible else None,
        target_type=(notification.target_type or None) if shows_target else None,
        target_id=notification.target_id if shows_target else None,
        is_unread=notification.is_unread,
        created_at=created_at,
        read_at=notification.read_at,
    )


@router.get(
    "/notifications",
    response={200: NotificationPageOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["notifications"],
    summary="The acting member's notifications, newest first",
)
@paginate(LimitOffsetPage)
def list_notifications(request: HttpRequest, unread: bool = False) -> Rows[Notification]:
    viewer = get_actor(request)
    notifications = list_notifications_for(viewer)
    if unread:
        notifications = notifications.filter(read_at__isnull=True)
    return Rows(
        notifications,
        lambda page: [_notification_out(n, is_post_visible=_is_post_visible(n)) for n in page],
        extra={"unread_count": count_unread_notifications(viewer)},
    )


@router.get(
    "/notifications/unread-count",
    response={200: UnreadCountOut, **ERROR_RESPONSES},
    auth=READ,
    tags=["notifications"],
    summary="How many notifications the acting member has not read (the bell)",
)
def unread_count(request: HttpRequest) -> UnreadCountOut:
    return UnreadCountOut(unread_count=count_unread_notifications(get_actor(request)))


@router.post(
    "/notifications/{notification_id}/read",
    response={200: NotificationOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["notifications"],
    summary="Mark one notification read",
)
def mark_read(
    request: HttpRequest,
    notification_id: int = PathParam(..., ge=1, le=ID_MAX, description="The notification's id."),
) -> NotificationOut:
    viewer = get_actor(request)
    marked = mark_notification_read(member=viewer, notification_id=notification_id)
    if marked is None:
        raise Http404  # someone else's notification is not there for this member
    notification = list_notifications_for(viewer).get(pk=marked.pk)
    return _notification_out(notification, is_post_visible=_is_post_visible(notification))


@router.post(
    "/notifications/read-all",
    response={200: MarkedReadOut, **ERROR_RESPONSES},
    auth=WRITE,
    tags=["notifications"],
    summary="Mark every notification read",
)
def mark_all_read(request: HttpRequest) -> MarkedReadOut:
    return MarkedReadOut(marked=mark_all_notifications_read(member=get_actor(request)))
