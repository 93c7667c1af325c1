"""The notification pages: the list, marking read (HTMX and plain forms), preferences, unsubscribe.

Every action works as a plain form post (redirect after success) and returns the
fragment it replaces when the request carries `HX-Request`.
"""

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from kizuna.content.permissions import can_view_post
from kizuna.core.htmx import HtmxHttpRequest
from kizuna.core.navigation import safe_next_path
from kizuna.core.pagination import paginate
from kizuna.identity.models import Member
from kizuna.notifications import selectors, services
from kizuna.notifications.forms import EmailPreferencesForm
from kizuna.notifications.models import NotificationKind


def _member(request: HttpRequest) -> Member:
    return cast(Member, request.user)


def _back_to_list(request: HttpRequest) -> HttpResponse:
    """Back where the form was posted from, on this site only; the list otherwise."""
    return redirect(
        safe_next_path(request, request.POST.get("next", "")) or "notifications:notification-list"
    )


def _list_context(request: HttpRequest) -> dict[str, Any]:
    page = paginate(request, selectors.list_notifications_for(_member(request)))
    return {"page": page, "unread_count": selectors.count_unread_notifications(_member(request))}


class NotificationListView(LoginRequiredMixin, View):
    def get(self, request: HtmxHttpRequest) -> HttpResponse:
        template = (
            "notifications/notification_list/partial.html"
            if request.htmx
            else "notifications/notification_list/index.html"
        )
        return render(request, template, _list_context(request))


class NotificationBellView(LoginRequiredMixin, View):
    """The header bell with its unread count: one COUNT query, loaded by the bell itself."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "notifications/components/bell_link.html",
            {"unread_count": selectors.count_unread_notifications(_member(request))},
        )


class NotificationReadView(LoginRequiredMixin, View):
    def post(self, request: HtmxHttpRequest, pk: int) -> HttpResponse:
        notification = services.mark_notification_read(member=_member(request), notification_id=pk)
        if notification is None:
            raise Http404
        if not request.htmx:
            return _back_to_list(request)
        item = selectors.list_notifications_for(_member(request)).get(pk=notification.pk)
        return render(
            request,
            "notifications/components/item_read.html",
            {
                "notification": item,
                "unread_count": selectors.count_unread_notifications(_member(request)),
            },
        )


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request: HtmxHttpRequest) -> HttpResponse:
        changed = services.mark_all_notifications_read(member=_member(request))
        if not request.htmx:
            if changed:
                messages.success(request, _("All notifications are marked as read."))
            return _back_to_list(request)
        context = _list_context(request)
        context["oob_bell"] = True
        return render(request, "notifications/notification_list/partial.html", context)


class NotificationOpenView(LoginRequiredMixin, View):
    """Follow a notification: mark it read and go to its post, if the member may still see it,
    or to the member's progress, badge or redemptions for a recognition notice."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        notification = services.mark_notification_read(member=_member(request), notification_id=pk)
        if notification is None:
            raise Http404
        if selectors.is_recognition(notification):
            return redirect(selectors.recognition_path(notification))
        post = notification.post
        if post is None or not can_view_post(_member(request), post):
            messages.info(request, _("That post is no longer available to you."))
            return redirect("notifications:notification-list")
        return redirect(selectors.post_path(post))


class PreferencesView(LoginRequiredMixin, View):
    template_name = "notifications/preferences/index.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = EmailPreferencesForm(initial=selectors.get_email_preferences(_member(request)))
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = EmailPreferencesForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        services.set_email_preferences(member=_member(request), channels=form.channels())
        messages.success(request, _("Your email preferences are saved."))
        return redirect("notifications:preferences")


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """One-click unsubscribe (RFC 8058): the signed token is the credential, so no sign-in or CSRF.

    GET only shows a confirmation (mail scanners follow links); POST unsubscribes, and a
    mail client's `List-Unsubscribe=One-Click` POST lands here too.
    """

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            self.member, self.scope = services.read_unsubscribe_token(kwargs["token"])
        except services.InvalidUnsubscribeLinkError:
            return render(request, "notifications/unsubscribe/invalid.html", status=400)
        return super().dispatch(request, *args, **kwargs)

    def _scope_label(self) -> str:
        if self.scope == services.DIGEST_SCOPE:
            return _("The daily digest")
        return str(NotificationKind(self.scope).label)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return render(
            request,
            "notifications/unsubscribe/index.html",
            {"scope_label": self._scope_label(), "token": token, "email": self.member.email},
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        services.unsubscribe(member=self.member, scope=self.scope)
        return render(
            request, "notifications/unsubscribe/done.html", {"scope_label": self._scope_label()}
        )
