from django.urls import path

from kizuna.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.NotificationListView.as_view(), name="notification-list"),
    path("bell/", views.NotificationBellView.as_view(), name="notification-bell"),
    path("read-all/", views.NotificationReadAllView.as_view(), name="notification-read-all"),
    path("<id:pk>/read/", views.NotificationReadView.as_view(), name="notification-read"),
    path("<id:pk>/open/", views.NotificationOpenView.as_view(), name="notification-open"),
    path("preferences/", views.PreferencesView.as_view(), name="preferences"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
