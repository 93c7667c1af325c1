from django.urls import path

from kizuna.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="account-list"),
]
