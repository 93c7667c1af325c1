from django.urls import path

from kizuna.plays import views

app_name = "plays"

urlpatterns = [
    path("", views.PlayQueueView.as_view(), name="queue"),
    path("<id:pk>/<slug:action>/", views.PlayActionView.as_view(), name="play-action"),
    path("rules/", views.PlayRulesView.as_view(), name="rules"),
    path("rules/evaluate/", views.EvaluateNowView.as_view(), name="evaluate"),
    path("rules/<id:pk>/", views.PlayRuleEditView.as_view(), name="rule-edit"),
]
