from django.urls import path

from kizuna.cohorts import diagram_views, views

app_name = "cohorts"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme-list"),
    path("<id:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("maps/<id:pk>/", views.MapView.as_view(), name="map"),
    path("maps/<id:pk>/edit/<slug:action>/", views.MapEditView.as_view(), name="map-edit"),
    path("maps/<id:pk>/feedback/", views.FeedbackView.as_view(), name="map-feedback"),
    path("maps/<id:pk>/knowledge/", views.PromoteView.as_view(), name="map-promote"),
    path(
        "maps/<id:map_pk>/phases/<id:number>/diagram/",
        diagram_views.phase_diagram_view,
        name="phase-diagram",
    ),
    path("maps/<id:pk>/diff/", views.DiffView.as_view(), name="map-diff"),
    path("maps/<id:pk>/review/", views.ReviewView.as_view(), name="map-review"),
]
