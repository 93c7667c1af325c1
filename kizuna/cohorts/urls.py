from django.urls import path

from kizuna.cohorts import diagram_views, manage_views, views

app_name = "cohorts"

urlpatterns = [
    path("", views.ProgrammeListView.as_view(), name="programme-list"),
    path("<id:pk>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path("manage/", manage_views.ManageProgrammesView.as_view(), name="manage"),
    path("manage/new/", manage_views.ProgrammeFormView.as_view(), name="programme-create"),
    path("<id:pk>/manage/", manage_views.ProgrammeManageView.as_view(), name="programme-manage"),
    path("<id:pk>/edit/", manage_views.ProgrammeFormView.as_view(), name="programme-edit"),
    path("<id:pk>/sessions/", manage_views.SessionAddView.as_view(), name="session-add"),
    path(
        "<id:pk>/sessions/<id:number>/",
        manage_views.SessionEditView.as_view(),
        name="session-edit",
    ),
    path("<id:pk>/companies/", manage_views.CompanyAddView.as_view(), name="company-add"),
    path(
        "<id:pk>/participants/", manage_views.ParticipantAddView.as_view(), name="participant-add"
    ),
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
