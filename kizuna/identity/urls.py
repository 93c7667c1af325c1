from django.urls import path

from kizuna.identity import views

app_name = "identity"

urlpatterns = [
    path("me/", views.MyProfileView.as_view(), name="my-profile"),
    path("me/edit/", views.ProfileEditView.as_view(), name="profile-edit"),
    path("me/security/", views.SecurityView.as_view(), name="security"),
    path("<id:pk>/", views.MemberProfileView.as_view(), name="member-profile"),
]
