from django.urls import path

from kizuna.segments import views

app_name = "segments"

urlpatterns = [
    path("", views.SegmentListView.as_view(), name="segment-list"),
    path("new/", views.SegmentCreateView.as_view(), name="segment-create"),
    path("preview/", views.SegmentPreviewView.as_view(), name="segment-preview"),
    path("<id:pk>/", views.SegmentDetailView.as_view(), name="segment-detail"),
    path("<id:pk>/edit/", views.SegmentEditView.as_view(), name="segment-edit"),
    path("<id:pk>/export/", views.SegmentExportView.as_view(), name="segment-export"),
    path("<id:pk>/invite/", views.SegmentInviteView.as_view(), name="segment-invite"),
    path("<id:pk>/delete/", views.SegmentDeleteView.as_view(), name="segment-delete"),
]
