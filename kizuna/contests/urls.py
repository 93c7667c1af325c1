from django.urls import path

from kizuna.contests import views

app_name = "contests"

urlpatterns = [
    path("", views.ContestListView.as_view(), name="contest-list"),
    path("<id:pk>/", views.ContestDetailView.as_view(), name="contest-detail"),
    path("<id:pk>/enter/", views.EnterContestView.as_view(), name="contest-enter"),
    path("<id:pk>/withdraw/", views.WithdrawEntryView.as_view(), name="contest-withdraw"),
    path("<id:pk>/vote/", views.VoteView.as_view(), name="contest-vote"),
    path("manage/", views.ManageContestsView.as_view(), name="manage-list"),
    path("manage/new/", views.ContestFormView.as_view(), name="contest-create"),
    path("manage/<id:pk>/", views.ManageContestView.as_view(), name="manage-contest"),
    path("manage/<id:pk>/edit/", views.ContestFormView.as_view(), name="contest-edit"),
    path("manage/<id:pk>/winners/", views.ChooseWinnersView.as_view(), name="choose-winners"),
    path("manage/<id:pk>/<slug:action>/", views.ContestActionView.as_view(), name="contest-action"),
]
