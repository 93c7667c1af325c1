"""Survey, discussion, connect list, invitations and KPI pages; included by
kizuna/events/urls.py into the `events` namespace."""

from django.urls import path

from kizuna.events import followup_views

urlpatterns = [
    path("kpis/", followup_views.KpiView.as_view(), name="kpis"),
    path("<id:pk>/survey/", followup_views.SurveyView.as_view(), name="event-survey"),
    path("<id:pk>/discussion/", followup_views.DiscussionView.as_view(), name="event-discussion"),
    path("<id:pk>/connect/", followup_views.ConnectView.as_view(), name="event-connect"),
    path(
        "<id:pk>/connect/list/",
        followup_views.ConnectOptInView.as_view(),
        name="event-connect-opt-in",
    ),
    path(
        "<id:pk>/connect/ask/<id:member_id>/",
        followup_views.ConnectRequestView.as_view(),
        name="event-connect-request",
    ),
    path(
        "<id:pk>/connect/requests/<id:request_id>/",
        followup_views.ConnectAnswerView.as_view(),
        name="event-connect-answer",
    ),
    path("<id:pk>/materials/", followup_views.MaterialsView.as_view(), name="event-materials"),
    path(
        "<id:pk>/invitations/",
        followup_views.InvitationsView.as_view(),
        name="event-invitations",
    ),
]
