from django.urls import path

from kizuna.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="account-list"),
    path("new/", views.AccountCreateView.as_view(), name="account-create"),
    path("<int:pk>/", views.AccountDetailView.as_view(), name="account-detail"),
    path("<int:pk>/edit/", views.AccountEditView.as_view(), name="account-edit"),
    path(
        "<int:pk>/members/link/", views.AccountLinkMemberView.as_view(), name="account-link-member"
    ),
    path(
        "<int:pk>/members/<int:member_pk>/unlink/",
        views.AccountUnlinkMemberView.as_view(),
        name="account-unlink-member",
    ),
]
