from django.urls import path

from kizuna.crm import views

app_name = "crm"

urlpatterns = [
    path("", views.ImportListView.as_view(), name="import-list"),
    path("new/", views.ImportNewView.as_view(), name="import-new"),
    path("<id:pk>/", views.ImportPreviewView.as_view(), name="import-preview"),
    path("<id:pk>/columns/", views.ImportMappingView.as_view(), name="import-mapping"),
    path("<id:pk>/progress/", views.ImportProgressView.as_view(), name="import-progress"),
    path("<id:pk>/run/", views.ImportRunView.as_view(), name="import-run"),
    path("<id:pk>/report/", views.ImportReportView.as_view(), name="import-report"),
]
