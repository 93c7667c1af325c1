from django.urls import path

from kizuna.rewards import views

app_name = "rewards"

urlpatterns = [
    path("", views.CatalogView.as_view(), name="catalog"),
    path("<id:pk>/redeem/", views.RedeemView.as_view(), name="redeem"),
    path("mine/", views.MyRedemptionsView.as_view(), name="mine"),
    path("mine/<id:pk>/cancel/", views.CancelRedemptionView.as_view(), name="cancel"),
    path("manage/", views.ManageRewardsView.as_view(), name="manage"),
    path("manage/new/", views.RewardFormView.as_view(), name="reward-create"),
    path("manage/<id:pk>/edit/", views.RewardFormView.as_view(), name="reward-edit"),
    path("manage/redemptions/", views.RedemptionQueueView.as_view(), name="queue"),
    path(
        "manage/redemptions/<id:pk>/<slug:action>/",
        views.RedemptionDecisionView.as_view(),
        name="decide",
    ),
]
