from django.urls import path

from kizuna.spaces import views

app_name = "spaces"

urlpatterns = [
    path("", views.SpaceListView.as_view(), name="space-list"),
    path("new/", views.SpaceCreateView.as_view(), name="space-create"),
    path(
        "invitations/<str:token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("<slug:slug>/", views.SpaceDetailView.as_view(), name="space-detail"),
    path("<slug:slug>/edit/", views.SpaceEditView.as_view(), name="space-edit"),
    path("<slug:slug>/join/", views.SpaceJoinView.as_view(), name="space-join"),
    path("<slug:slug>/leave/", views.SpaceLeaveView.as_view(), name="space-leave"),
    path("<slug:slug>/apply/", views.SpaceApplyView.as_view(), name="space-apply"),
    path(
        "<slug:slug>/apply/withdraw/",
        views.JoinRequestWithdrawView.as_view(),
        name="join-request-withdraw",
    ),
    path("<slug:slug>/members/", views.SpaceMembersView.as_view(), name="space-members"),
    path(
        "<slug:slug>/members/<id:pk>/role/",
        views.SpaceMemberRoleView.as_view(),
        name="space-member-role",
    ),
    path(
        "<slug:slug>/members/<id:pk>/remove/",
        views.SpaceMemberRemoveView.as_view(),
        name="space-member-remove",
    ),
    path("<slug:slug>/requests/", views.SpaceRequestsView.as_view(), name="space-requests"),
    path(
        "<slug:slug>/requests/<id:pk>/decide/",
        views.JoinRequestDecideView.as_view(),
        name="join-request-decide",
    ),
    path(
        "<slug:slug>/invitations/",
        views.SpaceInvitationsView.as_view(),
        name="space-invitations",
    ),
    path(
        "<slug:slug>/invitations/<id:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path(
        "<slug:slug>/subgroups/new/",
        views.SubgroupCreateView.as_view(),
        name="subgroup-create",
    ),
]
