from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from config.api import api
from kizuna.home import views as home_views
from kizuna.identity import staff_urls
from kizuna.identity.language import switch_language

handler403 = "kizuna.core.views.permission_denied"
handler404 = "kizuna.core.views.page_not_found"
handler500 = "kizuna.core.views.server_error"

# The staff console's hub is the home app's (it reads every app's queues); the staff pages
# identity keeps share its `staff` namespace, so `staff:staff-home` names the hub.
staff_patterns = [
    path("", home_views.StaffHomeView.as_view(), name="staff-home"),
    *staff_urls.urlpatterns,
]

urlpatterns = [
    path("", home_views.HomeView.as_view(), name="home"),
    path("home/", include("kizuna.home.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/setlang/", switch_language, name="set_language"),
    path("api/", api.urls),
    path("spaces/", include("kizuna.spaces.urls")),
    path("search/", include("kizuna.search.urls")),
    path("", include("kizuna.content.urls")),
    path("members/", include("kizuna.directory.urls")),
    path("members/", include("kizuna.identity.urls")),
    path("moderation/", include("kizuna.moderation.urls")),
    path("notifications/", include("kizuna.notifications.urls")),
    path("badges/", include("kizuna.badges.urls")),
    path("staff/", include((staff_patterns, staff_urls.app_name))),
    path("staff/accounts/", include("kizuna.customers.urls")),
    path("staff/crm-imports/", include("kizuna.crm.urls")),
    path("staff/segments/", include("kizuna.segments.urls")),
    path("staff/ambassadors/", include("kizuna.ambassadors.urls")),
    path("staff/plays/", include("kizuna.plays.urls")),
    path("staff/success/", include("kizuna.success.urls")),
    path("rewards/", include("kizuna.rewards.urls")),
    path("recognition/", include("kizuna.gamification.urls")),
    path("contests/", include("kizuna.contests.urls")),
    path("cohorts/", include("kizuna.cohorts.urls")),
    path("events/", include("kizuna.events.urls")),
    path("", include("kizuna.content.engagement_urls")),
    path("ops-admin/", admin.site.urls),
]

if settings.DEBUG or not settings.IS_PRODUCTION:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]
