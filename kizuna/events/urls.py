from django.urls import include, path

app_name = "events"

urlpatterns = [
    path("", include("kizuna.events.public_urls")),
    path("", include("kizuna.events.followup_urls")),
]
