"""Forecasters' scores, calibration (table and chart) and the leaderboard."""

from dataclasses import asdict

from django.contrib.auth import get_user_model
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.response import Response
from rest_framework.views import APIView

from forecasts import charts
from forecasts.api.continuous import continuous_calibration_body
from forecasts.api.errors import error_responses
from forecasts.api.serializers import (
    CalibrationOutput,
    CalibrationQuery,
    LeaderboardQuery,
    LeaderboardRowOutput,
    TotalsOutput,
    UserScoreOutput,
    UserScoresPage,
)
from forecasts.api.views.common import AnyAccept, ListView, query
from forecasts.selectors.api_questions import user_score_rows
from forecasts.selectors.cached_leaderboard import cached_leaderboard
from forecasts.selectors.calibration import calibration_for, pit_calibration_for
from forecasts.selectors.scores import user_totals

TAG = ["scores"]
CHART_TYPES = {"svg": "image/svg+xml", "png": "image/png"}


def get_forecaster(username: str):
    """Return the user with this public username, or 404."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise Http404("No such forecaster.")
    return user


class UserScoresView(ListView):
    @extend_schema(
        tags=TAG,
        summary="A forecaster's scores per resolved question, and totals",
        responses={200: UserScoresPage, **error_responses(400, 404)},
    )
    def get(self, request, username):
        user = get_forecaster(username)
        own = request.user.pk == user.pk
        totals = TotalsOutput(user_totals(user, include_private=own)).data
        page = self.paginate_queryset(user_score_rows(user, include_private=own))
        return self.paginator.get_paginated_response(
            UserScoreOutput(page, many=True).data,
            username=user.username,
            totals=totals,
        )


class LeaderboardView(ListView):
    @extend_schema(
        tags=TAG,
        summary="Forecasters ranked by mean Brier, relative Brier or points",
        parameters=[LeaderboardQuery],
        responses={200: LeaderboardRowOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request):
        params = query(LeaderboardQuery, request)
        rows = cached_leaderboard(
            by=params["by"],
            tag=params.get("tag"),
            min_questions=params["min_questions"],
        )
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(LeaderboardRowOutput(page, many=True).data)


def calibration_table(request, user=None):
    """Return the calibration of a user (or the site) for the query's tag and mode."""
    params = query(CalibrationQuery, request)
    own = user is not None and request.user.pk == user.pk
    return calibration_for(
        user=user, tag=params.get("tag"), mode=params["mode"], include_private=own
    )


def calibration_body(table, request, user=None) -> dict:
    """Return the calibration table, with the PIT calibration of numeric/dates."""
    params = query(CalibrationQuery, request)
    own = user is not None and request.user.pk == user.pk
    pit = pit_calibration_for(user=user, tag=params.get("tag"), include_private=own)
    body = {**asdict(table), "continuous": continuous_calibration_body(pit)}
    return CalibrationOutput(body).data


class UserCalibrationView(APIView):
    @extend_schema(
        tags=TAG,
        summary="A forecaster's calibration table and Murphy decomposition",
        parameters=[CalibrationQuery],
        responses={200: CalibrationOutput, **error_responses(400, 404)},
    )
    def get(self, request, username):
        user = get_forecaster(username)
        table = calibration_table(request, user)
        return Response(calibration_body(table, request, user))


class SiteCalibrationView(APIView):
    @extend_schema(
        tags=TAG,
        summary="The whole site's calibration table and Murphy decomposition",
        parameters=[CalibrationQuery],
        responses={200: CalibrationOutput, **error_responses(400)},
    )
    def get(self, request):
        return Response(calibration_body(calibration_table(request), request))


def chart_schema(fmt: str, errors: tuple[int, ...]):
    return extend_schema(
        tags=TAG,
        summary=f"The calibration chart as {fmt.upper()}",
        parameters=[CalibrationQuery],
        responses={
            (200, CHART_TYPES[fmt]): OpenApiResponse(OpenApiTypes.BINARY),
            **error_responses(*errors),
        },
    )


def chart_response(table, fmt: str, title: str) -> HttpResponse:
    """Return the calibration chart of this table in SVG or PNG."""
    image = charts.calibration_chart(table, fmt=fmt, title=title)
    return HttpResponse(image, content_type=CHART_TYPES[fmt])


class UserChartView(APIView):
    content_negotiation_class = AnyAccept
    fmt = "svg"

    def get(self, request, username):
        user = get_forecaster(username)
        table = calibration_table(request, user)
        return chart_response(table, self.fmt, f"Calibration of {user.username}")


class SiteChartView(APIView):
    content_negotiation_class = AnyAccept
    fmt = "svg"

    def get(self, request):
        return chart_response(calibration_table(request), self.fmt, "Calibration")


@extend_schema_view(get=chart_schema("svg", (400, 404)))
class UserSvgView(UserChartView):
    fmt = "svg"


@extend_schema_view(get=chart_schema("png", (400, 404)))
class UserPngView(UserChartView):
    fmt = "png"


@extend_schema_view(get=chart_schema("svg", (400,)))
class SiteSvgView(SiteChartView):
    fmt = "svg"


@extend_schema_view(get=chart_schema("png", (400,)))
class SitePngView(SiteChartView):
    fmt = "png"
