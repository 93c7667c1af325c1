from django.urls import path

from kizuna.spaces import views

app_name = "spaces"

urlpatterns = [
    path("", views.SpaceListView.as_view(), name="space-list"),
    path("<slug:slug>/", views.SpaceDetailView.as_view(), name="space-detail"),
    path("<slug:slug>/requests/", views.SpaceDetailView.as_view(), name="space-requests"),
    path("invitations/<str:token>/", views.SpaceListView.as_view(), name="invitation-accept"),
]
