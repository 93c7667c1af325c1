from django.urls import path

from kizuna.badges import views

app_name = "badges"

urlpatterns = [
    path("", views.BadgeListView.as_view(), name="badge-list"),
    path("manage/", views.BadgeManageView.as_view(), name="badge-manage"),
    path("<slug:slug>/", views.BadgeDetailView.as_view(), name="badge-detail"),
]
