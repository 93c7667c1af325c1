from django.urls import path

from kizuna.home import views

app_name = "home"

urlpatterns = [
    path("questions/", views.QuestionsView.as_view(), name="questions"),
]
