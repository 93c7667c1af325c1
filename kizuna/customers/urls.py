from django.urls import path

from kizuna.customers import views

app_name = "customers"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="account-list"),
    path("new/", views.AccountCreateView.as_view(), name="account-create"),
    path("<id:pk>/", views.AccountDetailView.as_view(), name="account-detail"),
    path("<id:pk>/edit/", views.AccountEditView.as_view(), name="account-edit"),
    path(
        "<id:pk>/members/link/", views.AccountLinkMemberView.as_view(), name="account-link-member"
    ),
    path(
        "<id:pk>/members/<id:member_pk>/unlink/",
        views.AccountUnlinkMemberView.as_view(),
        name="account-unlink-member",
    ),
]
