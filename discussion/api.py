"""Comments through the API: list and post on a question, edit and delete by id."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from discussion import services
from discussion.selectors import question_comments, visible_comments
from discussion.serializers import (
    CommentEditInput,
    CommentInput,
    CommentOutput,
    CommentQuery,
)
from discussion.throttles import CommentThrottle
from forecasts.api.errors import error_responses
from forecasts.api.views.common import ListView, get_question, query

TAG = ["comments"]


class ReadOrLoggedIn(BasePermission):
    def has_permission(self, request, view):
        return request.method in SAFE_METHODS or request.user.is_authenticated


class CommentListView(ListView):
    permission_classes = [ReadOrLoggedIn]
    throttle_classes = [CommentThrottle]

    @extend_schema(
        tags=TAG,
        summary="A question's comments and replies, oldest or newest first",
        description="Replies carry their parent's id. `author_forecast` stays "
        "null until the question is resolved or annulled.",
        parameters=[CommentQuery],
        responses={200: CommentOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request, slug):
        question = get_question(request, slug)
        order = query(CommentQuery, request)["order"]
        page = self.paginate_queryset(question_comments(question, order=order))
        return self.get_paginated_response(CommentOutput(page, many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Comment on a question, or reply to a top-level comment",
        description='`{"body": "Markdown"}`, with `"parent": id` for a reply. '
        "Replies are one level deep; at most 10,000 characters.",
        request=CommentInput,
        responses={
            201: CommentOutput,
            **error_responses(400, 401, 404, 413, 415, 429),
        },
    )
    def post(self, request, slug):
        question = get_question(request, slug)
        serializer = CommentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.post_comment(
            question=question, author=request.user, **serializer.validated_data
        )
        return Response(_output(question, comment.pk), status=201)


class CommentDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Edit your comment, within 15 minutes of posting it",
        request=CommentEditInput,
        responses={
            200: CommentOutput,
            **error_responses(400, 401, 403, 404, 413, 415),
        },
    )
    def patch(self, request, pk):
        comment = get_object_or_404(visible_comments(request.user), pk=pk)
        serializer = CommentEditInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.edit_comment(
            comment=comment, user=request.user, **serializer.validated_data
        )
        return Response(_output(comment.question, comment.pk))

    @extend_schema(
        tags=TAG,
        summary="Delete a comment (its author or staff); replies stay",
        request=None,
        responses={204: None, **error_responses(401, 403, 404)},
    )
    def delete(self, request, pk):
        comment = get_object_or_404(visible_comments(request.user), pk=pk)
        services.delete_comment(comment=comment, user=request.user)
        return Response(status=204)


def _output(question, pk: int) -> dict:
    return CommentOutput(question_comments(question).get(pk=pk)).data
