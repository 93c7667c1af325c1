"""Pages and files read without the event pages' sign-in: the shareable public page of an event
in an open space, and the iCalendar file and feeds (kizuna.events.calendar).

The public page asks the events policy as a visitor who is not signed in, whoever opens it,
so an event in an application or private space, or a draft, is the same 404 as a missing one.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views import View

from kizuna.events import calendar
from kizuna.events.access import access_event
from kizuna.events.selectors import seats_left
from kizuna.identity.staff import signed_in_member

OG_DESCRIPTION_WORDS = 60
OG_DESCRIPTION_CHARS = 200


def _og_description(description_html: str) -> str:
    text = " ".join(strip_tags(description_html).split())
    return Truncator(Truncator(text).words(OG_DESCRIPTION_WORDS)).chars(OG_DESCRIPTION_CHARS)


class PublicEventView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(AnonymousUser(), pk)
        event = access.event
        page_url = calendar.site_url(reverse("events:public-event", args=[event.pk]))
        context = {
            "event": event,
            "speakers": list(event.speakers.select_related("member")),
            "seats_left": seats_left(event),
            "og": {
                "title": event.title,
                "description": _og_description(event.description_html),
                "url": page_url,
                "site_name": settings.KIZUNA_COMMUNITY_NAME,
            },
            "event_page": reverse("events:event-detail", args=[event.pk]),
        }
        return render(request, "events/public/event.html", context)


def _ics(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    # A feed speaks for one reader (the token's member, or a visitor): no shared cache keeps it.
    response["Cache-Control"] = "private, max-age=300"
    return response


class EventCalendarView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access = access_event(request.user, pk)
        return _ics(calendar.event_file(access), f"event-{access.event.pk}.ics")


class MemberFeedView(View):
    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        return _ics(calendar.member_feed(token), "my-events.ics")


class SpaceFeedView(View):
    def get(self, request: HttpRequest, slug: str, token: str = "") -> HttpResponse:
        return _ics(calendar.space_feed(slug, token=token), f"{slug}-events.ics")


class CalendarSettingsView(LoginRequiredMixin, View):
    """The member's own calendar address: shown, made, regenerated or turned off."""

    def get(self, request: HttpRequest) -> HttpResponse:
        feed = calendar.feed_of(signed_in_member(request))
        context = {
            "feed_url": calendar.site_url(reverse("events:member-feed", args=[feed.token]))
            if feed
            else "",
        }
        return render(request, "events/public/calendar_settings.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        member = signed_in_member(request)
        action = request.POST.get("action", "")
        if action == "regenerate":
            calendar.regenerate_feed(member)
            messages.success(
                request,
                _("Your calendar address is ready. Any address you used before no longer works."),
            )
        elif action == "revoke":
            calendar.revoke_feed(member)
            messages.success(request, _("Your calendar address is turned off."))
        else:
            messages.error(request, _("Choose what to do with your calendar address."))
        return redirect("events:calendar-settings")
