"""Questions: list, create, read, change, publish, resolve."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from forecasts import services
from forecasts.api.errors import error_responses
from forecasts.api.permissions import IsStaff, IsStaffOrReadOnly
from forecasts.api.serializers import (
    QuestionInput,
    QuestionOutput,
    QuestionQuery,
    QuestionUpdateInput,
    ResolveInput,
)
from forecasts.api.views.common import ListView, get_question, query, question_data
from forecasts.selectors.questions import search_questions

TAG = ["questions"]


class QuestionListView(ListView):
    permission_classes = [IsStaffOrReadOnly]

    @extend_schema(
        tags=TAG,
        summary="List the questions you can see",
        parameters=[QuestionQuery],
        responses={200: QuestionOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request):
        params = query(QuestionQuery, request)
        questions = search_questions(
            request.user,
            status=params.get("status"),
            tag=params.get("tag"),
            text=params.get("search", ""),
        )
        page = self.paginate_queryset(questions)
        return self.get_paginated_response(question_data(page, request.user))

    @extend_schema(
        tags=TAG,
        summary="Create a question (staff)",
        request=QuestionInput,
        responses={201: QuestionOutput, **error_responses(400, 401, 403, 413, 415)},
    )
    def post(self, request):
        serializer = QuestionInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        draft = fields.pop("draft")
        question = services.create_question(publish=not draft, **fields)
        question = get_question(request, question.slug)
        return Response(question_data([question], request.user)[0], status=201)


class QuestionDetailView(APIView):
    permission_classes = [IsStaffOrReadOnly]

    @extend_schema(
        tags=TAG,
        summary="Read a question",
        responses={200: QuestionOutput, **error_responses(404)},
    )
    def get(self, request, slug):
        question = get_question(request, slug)
        return Response(question_data([question], request.user)[0])

    @extend_schema(
        tags=TAG,
        summary="Change a question (staff)",
        description="Only the fields sent change. Once a question has forecasts "
        "its slug, kind and options are fixed and `open_time` cannot pass the "
        "first forecast; once resolved or annulled, `open_time` and "
        "`close_time` are fixed (re-resolve to change what is scored).",
        request=QuestionUpdateInput,
        responses={200: QuestionOutput, **error_responses(400, 401, 403, 404, 415)},
    )
    def patch(self, request, slug):
        question = get_question(request, slug)
        serializer = QuestionUpdateInput(
            data=request.data, partial=True, context={"question": question}
        )
        serializer.is_valid(raise_exception=True)
        services.update_question(question=question, **serializer.validated_data)
        question = get_question(request, serializer.validated_data.get("slug", slug))
        return Response(question_data([question], request.user)[0])


class PublishView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        tags=TAG,
        summary="Publish a draft question now (staff)",
        request=None,
        responses={200: QuestionOutput, **error_responses(401, 403, 404)},
    )
    def post(self, request, slug):
        services.publish_question(question=get_question(request, slug))
        question = get_question(request, slug)
        return Response(question_data([question], request.user)[0])


class ResolveView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        tags=TAG,
        summary="Resolve, annul or re-resolve a question (staff)",
        description='`{"outcome": "Yes"}` or `{"annulled": true, "note": "…"}`; '
        'numeric and date questions `{"value": x}` (an ISO datetime for dates). '
        'An already resolved question needs `"re_resolve": true` and a note, '
        "else 409; so does an `expected_version` that is not the latest.",
        request=ResolveInput,
        responses={
            200: QuestionOutput,
            **error_responses(400, 401, 403, 404, 409, 413, 415),
        },
    )
    def post(self, request, slug):
        question = get_question(request, slug)
        serializer = ResolveInput(data=request.data, context={"question": question})
        serializer.is_valid(raise_exception=True)
        services.resolve_question(
            question=question, user=request.user, **serializer.validated_data
        )
        question = get_question(request, slug)
        return Response(question_data([question], request.user)[0])
