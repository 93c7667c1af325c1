from django.urls import path

from kizuna.ambassadors import views

app_name = "ambassadors"

urlpatterns = [
    path("", views.RosterView.as_view(), name="roster"),
    path("add/", views.AmbassadorAddView.as_view(), name="add"),
    path("<id:pk>/retire/", views.AmbassadorRetireView.as_view(), name="retire"),
]
