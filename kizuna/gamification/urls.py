from django.urls import path

from kizuna.gamification import views

app_name = "gamification"

urlpatterns = [
    path("me/", views.MyRecognitionView.as_view(), name="my-recognition"),
    path(
        "me/leaderboards/",
        views.LeaderboardVisibilityView.as_view(),
        name="leaderboard-visibility",
    ),
    path("leaderboard/", views.LeaderboardView.as_view(), name="leaderboard"),
    path("staff/rules/", views.StaffPointRulesView.as_view(), name="staff-point-rules"),
    path(
        "staff/rules/<id:pk>/",
        views.StaffPointRuleEditView.as_view(),
        name="staff-point-rule-edit",
    ),
]
