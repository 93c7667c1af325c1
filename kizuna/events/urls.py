from django.urls import include, path

from kizuna.events.views import pages, staff

app_name = "events"

urlpatterns = [
    path("", pages.EventListView.as_view(), name="event-list"),
    path("mine/", pages.MyRegistrationsView.as_view(), name="my-registrations"),
    path("spaces/<slug:slug>/", pages.SpaceEventListView.as_view(), name="space-events"),
    path("spaces/<slug:slug>/new/", staff.EventCreateView.as_view(), name="event-create"),
    path("<id:pk>/", pages.EventDetailView.as_view(), name="event-detail"),
    path("<id:pk>/register/", pages.RegisterView.as_view(), name="event-register"),
    path(
        "<id:pk>/cancel/", pages.CancelRegistrationView.as_view(), name="event-cancel-registration"
    ),
    path("<id:pk>/edit/", staff.EventEditView.as_view(), name="event-edit"),
    path("<id:pk>/registrants/", staff.RegistrantsView.as_view(), name="event-registrants"),
    path(
        "<id:pk>/registrants/<id:registration_id>/attendance/",
        staff.AttendanceView.as_view(),
        name="event-attendance",
    ),
    path("<id:pk>/speakers/", staff.SpeakersView.as_view(), name="event-speakers"),
    path("<id:pk>/manage/<slug:action>/", staff.EventActionView.as_view(), name="event-action"),
    path("", include("kizuna.events.public_urls")),
    path("", include("kizuna.events.followup_urls")),
]
