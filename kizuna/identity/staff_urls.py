from django.urls import path

from kizuna.identity import views

app_name = "staff"

urlpatterns = [
    path("", views.StaffHomeView.as_view(), name="staff-home"),
]
