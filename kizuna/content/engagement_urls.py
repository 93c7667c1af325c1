from django.urls import path

from kizuna.content import engagement_views as views

app_name = "engagement"

urlpatterns = [
    path("bookmarks/", views.BookmarkListView.as_view(), name="bookmarks"),
    path("unanswered/", views.UnansweredView.as_view(), name="unanswered"),
    path(
        "spaces/<slug:slug>/knowledge/",
        views.SpaceKnowledgeView.as_view(),
        name="space-knowledge",
    ),
    path("knowledge/<id:pk>/", views.KnowledgeArticleView.as_view(), name="knowledge-article"),
    path("knowledge/<id:pk>/edit/", views.KnowledgeEditView.as_view(), name="knowledge-edit"),
    path(
        "knowledge/promote/<id:pk>/",
        views.KnowledgePromoteView.as_view(),
        name="knowledge-promote",
    ),
    path("engagement/posts/<id:pk>/like/", views.ReactionView.as_view(), name="post-react"),
    path(
        "engagement/posts/<id:pk>/unlike/",
        views.ReactionView.as_view(add=False),
        name="post-unreact",
    ),
    path(
        "engagement/answers/<id:pk>/like/",
        views.ReactionView.as_view(on_answer=True),
        name="answer-react",
    ),
    path(
        "engagement/answers/<id:pk>/unlike/",
        views.ReactionView.as_view(on_answer=True, add=False),
        name="answer-unreact",
    ),
    path(
        "engagement/posts/<id:pk>/bookmark/",
        views.BookmarkView.as_view(),
        name="post-bookmark",
    ),
    path(
        "engagement/posts/<id:pk>/unbookmark/",
        views.BookmarkView.as_view(add=False),
        name="post-unbookmark",
    ),
    path("engagement/posts/<id:key>/follow/", views.FollowView.as_view(), name="post-follow"),
    path(
        "engagement/posts/<id:key>/unfollow/",
        views.FollowView.as_view(add=False),
        name="post-unfollow",
    ),
    path(
        "engagement/spaces/<str:key>/follow/",
        views.FollowView.as_view(kind="space"),
        name="space-follow",
    ),
    path(
        "engagement/spaces/<str:key>/unfollow/",
        views.FollowView.as_view(kind="space", add=False),
        name="space-unfollow",
    ),
    path(
        "engagement/tags/<str:key>/follow/",
        views.FollowView.as_view(kind="tag"),
        name="tag-follow",
    ),
    path(
        "engagement/tags/<str:key>/unfollow/",
        views.FollowView.as_view(kind="tag", add=False),
        name="tag-unfollow",
    ),
    path(
        "engagement/answers/<id:pk>/accept/",
        views.AcceptAnswerView.as_view(),
        name="answer-accept",
    ),
    path(
        "engagement/posts/<id:pk>/unaccept/",
        views.AcceptAnswerView.as_view(accept=False),
        name="answer-unaccept",
    ),
]
