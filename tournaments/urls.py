from django.urls import path

from forecasts.urls import ChartFormat  # noqa: F401  (registers "chart")
from tournaments import views

app_name = "tournaments"
urlpatterns = [
    path("", views.tournament_list, name="list"),
    path("<slug:slug>/", views.tournament_detail, name="detail"),
    path("<slug:slug>/join/<str:token>/", views.join, name="join"),
    path(
        "<slug:slug>/calibration.<chart:fmt>",
        views.calibration_image,
        name="calibration_chart",
    ),
]
