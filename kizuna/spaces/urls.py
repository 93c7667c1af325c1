from django.urls import path

from kizuna.spaces.views import invitations, join_requests, membership, spaces

app_name = "spaces"

urlpatterns = [
    path("", spaces.SpaceListView.as_view(), name="space-list"),
    path("new/", spaces.SpaceCreateView.as_view(), name="space-create"),
    path(
        "invitations/<str:token>/",
        invitations.InvitationAcceptView.as_view(),
        name="invitation-accept",
    ),
    path("<slug:slug>/", spaces.SpaceDetailView.as_view(), name="space-detail"),
    path("<slug:slug>/edit/", spaces.SpaceEditView.as_view(), name="space-edit"),
    path("<slug:slug>/join/", membership.SpaceJoinView.as_view(), name="space-join"),
    path("<slug:slug>/leave/", membership.SpaceLeaveView.as_view(), name="space-leave"),
    path("<slug:slug>/apply/", join_requests.SpaceApplyView.as_view(), name="space-apply"),
    path(
        "<slug:slug>/apply/withdraw/",
        join_requests.JoinRequestWithdrawView.as_view(),
        name="join-request-withdraw",
    ),
    path("<slug:slug>/members/", membership.SpaceMembersView.as_view(), name="space-members"),
    path(
        "<slug:slug>/members/<id:pk>/role/",
        membership.SpaceMemberRoleView.as_view(),
        name="space-member-role",
    ),
    path(
        "<slug:slug>/members/<id:pk>/remove/",
        membership.SpaceMemberRemoveView.as_view(),
        name="space-member-remove",
    ),
    path("<slug:slug>/requests/", join_requests.SpaceRequestsView.as_view(), name="space-requests"),
    path(
        "<slug:slug>/requests/<id:pk>/decide/",
        join_requests.JoinRequestDecideView.as_view(),
        name="join-request-decide",
    ),
    path(
        "<slug:slug>/invitations/",
        invitations.SpaceInvitationsView.as_view(),
        name="space-invitations",
    ),
    path(
        "<slug:slug>/invitations/<id:pk>/revoke/",
        invitations.InvitationRevokeView.as_view(),
        name="invitation-revoke",
    ),
    path(
        "<slug:slug>/subgroups/new/",
        spaces.SubgroupCreateView.as_view(),
        name="subgroup-create",
    ),
]
