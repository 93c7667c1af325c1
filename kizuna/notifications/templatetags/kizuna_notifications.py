"""The header bell and the sentence of a notification."""

from typing import Any

from django import template
from django.urls import reverse

from kizuna.notifications.selectors import (
    describe_notification,
    is_recognition,
    is_redacted,
    recognition_note,
)

register = template.Library()


@register.inclusion_tag("notifications/components/bell.html", takes_context=True)
def notification_bell(context: template.Context) -> dict[str, Any]:
    """`{% notification_bell %}`: the header bell; adds no query to the page that includes it.

    A page that already knows the unread count (`unread_count` in its context) shows it at
    once; every other page fills it with one COUNT request after load (HTMX), so the header
    never changes the query count of the pages of other apps.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    unread_count = context.get("unread_count")
    return {"show": True, "unread_count": unread_count, "is_lazy": unread_count is None}


@register.filter
def notification_summary(notification: Any) -> str:
    """The notification as a sentence; the post is named only if the reader may still see it."""
    return describe_notification(
        notification, is_post_visible=bool(getattr(notification, "is_post_visible", False))
    )


@register.filter
def notification_is_redacted(notification: Any) -> bool:
    """About a post the reader can no longer see: no actor, and only the day."""
    return is_redacted(
        notification, is_post_visible=bool(getattr(notification, "is_post_visible", False))
    )


@register.filter
def notification_link(notification: Any) -> str:
    """Where the notification opens (marking it read), or "" when there is nothing to open."""
    if is_recognition(notification) or getattr(notification, "is_post_visible", False):
        return reverse("notifications:notification-open", args=[notification.pk])
    return ""


@register.filter
def notification_note(notification: Any) -> str:
    """The reason or note staff wrote with a recognition notice."""
    return recognition_note(notification) if is_recognition(notification) else ""
