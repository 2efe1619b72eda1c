from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/tournaments/", include("tournaments.api_urls")),
    path("api/", include("forecasts.api.urls")),
    path("accounts/", include("accounts.urls")),
    path("notifications/", include("forecasts.notifications.urls")),
    path("tournaments/", include("tournaments.urls")),
    path("", include("discussion.urls")),
    path("", include("proposals.urls")),
    path("", include("forecasts.urls")),
]
