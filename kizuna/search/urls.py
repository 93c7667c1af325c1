from django.urls import path

from kizuna.search import views

app_name = "search"

urlpatterns = [
    path("", views.SearchView.as_view(), name="search"),
    path("similar-questions/", views.SimilarQuestionsView.as_view(), name="similar-questions"),
]
