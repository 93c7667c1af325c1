from django.urls import path

from kizuna.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.DirectoryView.as_view(), name="directory"),
    path(
        "<id:pk>/contributions/",
        views.MemberContributionsView.as_view(),
        name="member-contributions",
    ),
]
