from django.urls import path

from kizuna.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.ReviewQueueView.as_view(), name="queue"),
    path("items/<id:pk>/", views.ReviewItemView.as_view(), name="review-item"),
    path(
        "items/<id:pk>/<slug:action>/",
        views.ReviewItemActionView.as_view(),
        name="review-item-action",
    ),
    path("flag/<slug:kind>/<id:pk>/", views.FlagView.as_view(), name="flag"),
    path("blocked-terms/", views.BlockedTermsView.as_view(), name="blocked-terms"),
    path(
        "blocked-terms/<id:pk>/delete/",
        views.BlockedTermDeleteView.as_view(),
        name="blocked-term-delete",
    ),
    path(
        "spaces/<slug:slug>/settings/",
        views.SpaceModerationSettingsView.as_view(),
        name="space-settings",
    ),
]
