from django.urls import path

from kizuna.identity import views

app_name = "staff"

urlpatterns = [
    path("members/", views.StaffMembersView.as_view(), name="staff-members"),
    path("members/<id:pk>/role/", views.StaffMemberRoleView.as_view(), name="staff-member-role"),
    path("api-keys/", views.StaffApiKeysView.as_view(), name="staff-api-keys"),
    path(
        "api-keys/<id:pk>/revoke/",
        views.StaffApiKeyRevokeView.as_view(),
        name="staff-api-key-revoke",
    ),
    path("audit/", views.StaffAuditLogView.as_view(), name="staff-audit-log"),
]
