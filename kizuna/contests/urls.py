from django.urls import path

from kizuna.contests import views

app_name = "contests"

urlpatterns = [
    path("", views.ContestListView.as_view(), name="contest-list"),
    path("<int:pk>/", views.ContestDetailView.as_view(), name="contest-detail"),
    path("<int:pk>/enter/", views.EnterContestView.as_view(), name="contest-enter"),
    path("<int:pk>/withdraw/", views.WithdrawEntryView.as_view(), name="contest-withdraw"),
    path("<int:pk>/vote/", views.VoteView.as_view(), name="contest-vote"),
    path("manage/", views.ManageContestsView.as_view(), name="manage-list"),
    path("manage/new/", views.ContestFormView.as_view(), name="contest-create"),
    path("manage/<int:pk>/", views.ManageContestView.as_view(), name="manage-contest"),
    path("manage/<int:pk>/edit/", views.ContestFormView.as_view(), name="contest-edit"),
    path("manage/<int:pk>/winners/", views.ChooseWinnersView.as_view(), name="choose-winners"),
    path(
        "manage/<int:pk>/<slug:action>/", views.ContestActionView.as_view(), name="contest-action"
    ),
]
