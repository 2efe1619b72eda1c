from django.urls import path, register_converter

from forecasts.views import images, profiles, questions, resolution, scores


class ChartFormat:
    regex = "svg|png"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ChartFormat, "chart")

app_name = "forecasts"
urlpatterns = [
    path("", questions.question_list, name="questions"),
    path("questions/<slug:slug>/", questions.question_detail, name="question"),
    path("questions/<slug:slug>/resolve/", resolution.resolve, name="resolve"),
    path(
        "questions/<slug:slug>/community.<chart:fmt>",
        images.community_image,
        name="community_chart",
    ),
    path("leaderboard/", scores.leaderboard_page, name="leaderboard"),
    path("calibration/", scores.calibration_page, name="calibration"),
    path("calibration.<chart:fmt>", images.calibration_image, name="calibration_chart"),
    path("scoring/", scores.scoring_page, name="scoring"),
    path("users/<str:username>/", profiles.profile, name="profile"),
    path(
        "users/<str:username>/calibration/",
        scores.calibration_page,
        name="user_calibration",
    ),
    path(
        "users/<str:username>/calibration.<chart:fmt>",
        images.calibration_image,
        name="user_calibration_chart",
    ),
    path(
        "users/<str:username>/brier.<chart:fmt>",
        images.brier_image,
        name="brier_chart",
    ),
]
