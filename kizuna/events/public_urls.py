"""Public pages, calendar files and check-in; included by kizuna/events/urls.py into the
`events` namespace."""

from django.urls import path

from kizuna.events import checkin_views, public_views

urlpatterns = [
    path("<id:pk>/public/", public_views.PublicEventView.as_view(), name="public-event"),
    path("<id:pk>/calendar.ics", public_views.EventCalendarView.as_view(), name="event-calendar"),
    path("calendar/", public_views.CalendarSettingsView.as_view(), name="calendar-settings"),
    path(
        "calendar/feed/<str:token>.ics", public_views.MemberFeedView.as_view(), name="member-feed"
    ),
    path(
        "calendar/spaces/<slug:slug>.ics", public_views.SpaceFeedView.as_view(), name="space-feed"
    ),
    path(
        "calendar/feed/<str:token>/spaces/<slug:slug>.ics",
        public_views.SpaceFeedView.as_view(),
        name="member-space-feed",
    ),
    path(
        "<id:pk>/check-in/code/",
        checkin_views.MyCheckInCodeView.as_view(),
        name="my-checkin-code",
    ),
    path(
        "<id:pk>/check-in/<str:code>/",
        checkin_views.CheckInByCodeView.as_view(),
        name="check-in",
    ),
    path(
        "<id:pk>/registrations/<id:registration_id>/check-in/",
        checkin_views.CheckInRegistrationView.as_view(),
        name="check-in-registration",
    ),
]
