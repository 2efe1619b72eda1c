"""Proposals through the API: propose, list, read, edit, accept, decline."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from forecasts.api.errors import error_responses
from forecasts.api.permissions import IsStaff
from forecasts.api.serializers import QuestionOutput
from forecasts.api.views.common import ListView, get_question, question_data
from proposals import services
from proposals.selectors import visible_proposals
from proposals.serializers import DeclineInput, ProposalInput, ProposalOutput
from proposals.throttles import ProposalThrottle

TAG = ["proposals"]


class ProposalListView(ListView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ProposalThrottle]

    @extend_schema(
        tags=TAG,
        summary="Your proposals, newest first (staff: everyone's)",
        responses={200: ProposalOutput(many=True), **error_responses(400, 401, 404)},
    )
    def get(self, request):
        page = self.paginate_queryset(visible_proposals(request.user))
        return self.get_paginated_response(ProposalOutput(page, many=True).data)

    @extend_schema(
        tags=TAG,
        summary="Propose a question",
        description="The fields of POST /api/questions/, checked the same way, "
        "without `draft`; `open_time` defaults to the moment staff accept it. "
        "Only you and staff see the proposal.",
        request=ProposalInput,
        responses={
            201: ProposalOutput,
            **error_responses(400, 401, 413, 415, 429),
        },
    )
    def post(self, request):
        serializer = ProposalInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.propose_question(
            author=request.user, **serializer.validated_data
        )
        return Response(ProposalOutput(proposal).data, status=201)


class ProposalDetailView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Read a proposal (its author or staff)",
        responses={200: ProposalOutput, **error_responses(401, 404)},
    )
    def get(self, request, pk):
        return Response(
            ProposalOutput(
                get_object_or_404(visible_proposals(request.user), pk=pk)
            ).data
        )

    @extend_schema(
        tags=TAG,
        summary="Edit a pending proposal (staff)",
        request=ProposalInput(partial=True),
        responses={
            200: ProposalOutput,
            **error_responses(400, 401, 403, 404, 413, 415),
        },
    )
    def patch(self, request, pk):
        proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
        serializer = ProposalInput(
            data=request.data, partial=True, context={"kind": proposal.kind}
        )
        serializer.is_valid(raise_exception=True)
        proposal = services.update_proposal(
            proposal=proposal, user=request.user, **serializer.validated_data
        )
        return Response(ProposalOutput(proposal).data)


class AcceptView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        tags=TAG,
        summary="Accept a proposal: publish its question now (staff)",
        description="Returns the published question, whose `proposed_by` names "
        "the author. A taken slug or a past close time is a 400: edit first.",
        request=None,
        responses={201: QuestionOutput, **error_responses(400, 401, 403, 404)},
    )
    def post(self, request, pk):
        proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
        question = services.accept_proposal(proposal=proposal, user=request.user)
        question = get_question(request, question.slug)
        return Response(question_data([question], request.user)[0], status=201)


class DeclineView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        tags=TAG,
        summary="Decline a proposal with a reason told to its author (staff)",
        request=DeclineInput,
        responses={
            200: ProposalOutput,
            **error_responses(400, 401, 403, 404, 413, 415),
        },
    )
    def post(self, request, pk):
        proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
        serializer = DeclineInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        proposal = services.decline_proposal(
            proposal=proposal, user=request.user, **serializer.validated_data
        )
        return Response(ProposalOutput(proposal).data)
