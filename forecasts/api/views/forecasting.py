"""A question's forecasts, community history and scores."""

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from forecasts import services
from forecasts.api.errors import error_responses
from forecasts.api.serializers import (
    CommunityPointOutput,
    EntryOutput,
    ForecastInput,
    QuestionScoresPage,
    ScoreOutput,
)
from forecasts.api.throttles import ForecastThrottle
from forecasts.api.views.common import ListView, get_question
from forecasts.selectors import api_questions
from forecasts.selectors.community import community_visible

TAG = ["forecasts"]


class ForecastListView(ListView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ForecastThrottle]

    @extend_schema(
        tags=TAG,
        summary="Your own entries on this question, oldest first",
        responses={200: EntryOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request, slug):
        question = get_question(request, slug)
        page = self.paginate_queryset(api_questions.own_entries(question, request.user))
        return self.get_paginated_response(EntryOutput(page, many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Forecast: append an entry to the question's ledger",
        description='Binary: `{"probability": 0.72}`; multiple choice: '
        '`{"probabilities": [0.2, 0.5, 0.3]}`; numeric and date: exactly one of '
        '`{"cdf": [201 numbers]}`, `{"quantiles": [[0.1, x], [0.5, x], …]}` or '
        '`{"components": [{"center": x, "spread": 0.1, "weight": 1}]}` (x an ISO '
        'datetime for dates); optional `"rationale"`. '
        "A closed, resolved or annulled question gives 400 naming the reason.",
        request=ForecastInput,
        responses={
            201: EntryOutput,
            **error_responses(400, 401, 404, 413, 415, 429),
        },
    )
    def post(self, request, slug):
        question = get_question(request, slug, head=False)
        serializer = ForecastInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = services.submit_forecast(
            question=question, user=request.user, **serializer.validated_data
        )
        return Response(EntryOutput(entry).data, status=201)


class CommunityHistoryView(ListView):
    @extend_schema(
        tags=TAG,
        summary="The community forecast's stored history, oldest first",
        description="One point every COMMUNITY_STEP_SECONDS after the first "
        "entry, stored as time passes (the beat task) and completed at scoring; "
        "the current value is the question's `community`. Hidden (403) until you "
        "forecast when the question hides the community forecast.",
        responses={
            200: CommunityPointOutput(many=True),
            **error_responses(400, 403, 404),
        },
    )
    def get(self, request, slug):
        question = get_question(request, slug)
        shown = community_visible(
            question, api_questions.has_forecast(question, request.user), request.user
        )
        if not shown:
            raise PermissionDenied(
                "This question shows the community forecast once you forecast."
            )
        page = self.paginate_queryset(api_questions.community_points(question))
        points = CommunityPointOutput(page, many=True, context={"question": question})
        return self.get_paginated_response(points.data)


class QuestionScoresView(ListView):
    @extend_schema(
        tags=TAG,
        summary="Scores of the latest resolution, per forecaster",
        description="Empty until the question resolves and while scoring is "
        "`pending`; `state` says which.",
        responses={200: QuestionScoresPage, **error_responses(400, 404)},
    )
    def get(self, request, slug):
        question = get_question(request, slug)
        event = api_questions.latest_resolutions([question]).get(question.pk)
        scores = api_questions.question_scores(event)
        page = self.paginate_queryset(scores)
        return self.paginator.get_paginated_response(
            ScoreOutput(page, many=True).data,
            state=api_questions.scoring_state(event),
            version=event.version if event else None,
        )
