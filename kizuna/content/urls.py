from django.urls import path

from kizuna.content import views

app_name = "content"

urlpatterns = [
    path("spaces/<slug:slug>/posts/", views.SpaceFeedView.as_view(), name="space-feed"),
    path("spaces/<slug:slug>/posts/new/", views.PostCreateView.as_view(), name="post-create"),
    path(
        "spaces/<slug:slug>/mentions/",
        views.MentionSuggestionsView.as_view(),
        name="mention-suggestions",
    ),
    path("posts/preview/", views.MarkdownPreviewView.as_view(), name="markdown-preview"),
    path("posts/<id:pk>/", views.PostDetailView.as_view(), name="post-detail"),
    path("posts/<id:pk>/edit/", views.PostEditView.as_view(), name="post-edit"),
    path("posts/<id:pk>/history/", views.PostHistoryView.as_view(), name="post-history"),
    path("posts/<id:pk>/answers/", views.AnswerCreateView.as_view(), name="answer-create"),
    path("posts/<id:pk>/comments/", views.CommentCreateView.as_view(), name="comment-create"),
    path("answers/<id:pk>/edit/", views.AnswerEditView.as_view(), name="answer-edit"),
    path("answers/<id:pk>/history/", views.AnswerHistoryView.as_view(), name="answer-history"),
    path(
        "attachments/<id:pk>/", views.AttachmentDownloadView.as_view(), name="attachment-download"
    ),
]
