from django.urls import path

from kizuna.customers import tier_views, views

app_name = "customers"

urlpatterns = [
    path("", views.AccountListView.as_view(), name="account-list"),
    path("new/", views.AccountCreateView.as_view(), name="account-create"),
    path("<id:pk>/", views.AccountDetailView.as_view(), name="account-detail"),
    path("<id:pk>/edit/", views.AccountEditView.as_view(), name="account-edit"),
    path("<id:pk>/history/", views.AccountHistoryView.as_view(), name="account-history"),
    path(
        "<id:pk>/members/link/", views.AccountLinkMemberView.as_view(), name="account-link-member"
    ),
    path(
        "<id:pk>/members/<id:member_pk>/unlink/",
        views.AccountUnlinkMemberView.as_view(),
        name="account-unlink-member",
    ),
    path("<id:pk>/contacts/new/", views.ContactCreateView.as_view(), name="contact-create"),
    path(
        "<id:pk>/contacts/<id:contact_pk>/edit/",
        views.ContactEditView.as_view(),
        name="contact-edit",
    ),
    path(
        "<id:pk>/contacts/<id:contact_pk>/delete/",
        views.ContactDeleteView.as_view(),
        name="contact-delete",
    ),
    path("plans/", views.PlansView.as_view(), name="plans"),
    path("plans/<id:pk>/edit/", views.PlanEditView.as_view(), name="plan-edit"),
    path("plans/<id:pk>/move/", views.PlanMoveView.as_view(), name="plan-move"),
    path("plans/<id:pk>/delete/", views.PlanDeleteView.as_view(), name="plan-delete"),
    path("custom-fields/", views.CustomFieldsView.as_view(), name="custom-fields"),
    path(
        "custom-fields/<id:pk>/edit/",
        views.CustomFieldEditView.as_view(),
        name="custom-field-edit",
    ),
    path(
        "custom-fields/<id:pk>/delete/",
        views.CustomFieldDeleteView.as_view(),
        name="custom-field-delete",
    ),
    path("tiers/", tier_views.TierSettingsView.as_view(), name="tier-settings"),
    path("<id:pk>/tier/", tier_views.AccountTierView.as_view(), name="account-tier"),
    path("book/", tier_views.BookListView.as_view(), name="book"),
    path("book/<id:member_pk>/", tier_views.BookOfView.as_view(), name="book-of"),
]
