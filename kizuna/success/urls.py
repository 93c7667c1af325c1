from django.urls import path

from kizuna.success import views

app_name = "success"

urlpatterns = [
    path("accounts/<id:pk>/", views.Account360View.as_view(), name="account-360"),
    path("expansion-signals/", views.ExpansionSignalsView.as_view(), name="expansion-signals"),
    path("plan-tags/", views.PlanTagsView.as_view(), name="plan-tags"),
    path("plan-tags/remove/", views.PlanTagRemoveView.as_view(), name="plan-tag-remove"),
]
