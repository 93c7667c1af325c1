from django.urls import path

from kizuna.identity import views

app_name = "identity"

urlpatterns = [
    path("<int:pk>/", views.MemberProfileView.as_view(), name="member-profile"),
]
