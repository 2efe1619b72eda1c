from django.http import JsonResponse
from django.urls import path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import AccountView, SignupView, TokenView
from discussion.urls import api_urlpatterns as comment_api_urls
from forecasts.api.views import exports, forecasting, questions, standings
from proposals.urls import api_urlpatterns as proposal_api_urls


@csrf_exempt
def not_found(request):
    """Answer an unknown API path in JSON, like every other API error."""
    return JsonResponse({"detail": "Not found."}, status=404)


def api_index(request):
    """List every API endpoint by name and path, with the docs' address."""
    endpoints = {
        pattern.name: f"/api/{pattern.pattern}"
        for pattern in urlpatterns
        if getattr(pattern, "name", None) and pattern.name != "api-index"
    }
    return JsonResponse(
        {"docs": "/api/docs/", "schema": "/api/schema/", "endpoints": endpoints}
    )


urlpatterns = [
    path("", api_index, name="api-index"),
    path("auth/signup/", SignupView.as_view(), name="api-signup"),
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path("auth/account/", AccountView.as_view(), name="api-account"),
    path("questions/", questions.QuestionListView.as_view(), name="api-questions"),
    path(
        "questions/<slug:slug>/",
        questions.QuestionDetailView.as_view(),
        name="api-question",
    ),
    path(
        "questions/<slug:slug>/publish/",
        questions.PublishView.as_view(),
        name="api-publish",
    ),
    path(
        "questions/<slug:slug>/resolve/",
        questions.ResolveView.as_view(),
        name="api-resolve",
    ),
    path(
        "questions/<slug:slug>/forecasts/",
        forecasting.ForecastListView.as_view(),
        name="api-forecasts",
    ),
    path(
        "questions/<slug:slug>/community/",
        forecasting.CommunityHistoryView.as_view(),
        name="api-community",
    ),
    path(
        "questions/<slug:slug>/scores/",
        forecasting.QuestionScoresView.as_view(),
        name="api-question-scores",
    ),
    path(
        "questions/<slug:slug>/ledger.json",
        exports.QuestionLedgerView.as_view(),
        name="api-question-ledger",
    ),
    path(
        "users/<str:username>/scores/",
        standings.UserScoresView.as_view(),
        name="api-user-scores",
    ),
    path(
        "users/<str:username>/calibration/",
        standings.UserCalibrationView.as_view(),
        name="api-user-calibration",
    ),
    path(
        "users/<str:username>/calibration.svg",
        standings.UserSvgView.as_view(),
        name="api-user-calibration-svg",
    ),
    path(
        "users/<str:username>/calibration.png",
        standings.UserPngView.as_view(),
        name="api-user-calibration-png",
    ),
    path(
        "calibration/", standings.SiteCalibrationView.as_view(), name="api-calibration"
    ),
    path(
        "calibration.svg",
        standings.SiteSvgView.as_view(),
        name="api-calibration-svg",
    ),
    path(
        "calibration.png",
        standings.SitePngView.as_view(),
        name="api-calibration-png",
    ),
    path("leaderboard/", standings.LeaderboardView.as_view(), name="api-leaderboard"),
    path("export/ledger.csv", exports.LedgerCsvView.as_view(), name="api-export-csv"),
    path(
        "export/ledger.json", exports.LedgerJsonView.as_view(), name="api-export-json"
    ),
    *comment_api_urls,
    *proposal_api_urls,
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    re_path(r"^", not_found),
]
