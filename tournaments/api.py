"""The tournaments API: list, create, read, invite, members, join, leaderboard."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from forecasts import markdown
from forecasts.api.errors import error_responses
from forecasts.api.fields import (
    ScoreNumber,
    StrictCharField,
    StrictChoiceField,
    StrictDateTimeField,
    StrictSerializer,
    StrictSlugField,
    Timestamp,
)
from forecasts.api.permissions import IsStaff, IsStaffOrReadOnly
from forecasts.api.serializers import MAX_TEXT
from forecasts.api.views.common import ListView, query
from forecasts.models import Question
from forecasts.selectors.scores import LEADERBOARD_ORDER
from tournaments import selectors, services
from tournaments.models import Phase, Tournament, Visibility

TAG = ["tournaments"]


class TournamentInput(StrictSerializer):
    slug = StrictSlugField(max_length=80)
    title = StrictCharField(max_length=200)
    description = StrictCharField(
        max_length=MAX_TEXT, required=False, allow_blank=True, help_text="Markdown."
    )
    start_time = StrictDateTimeField()
    end_time = StrictDateTimeField()
    questions = serializers.ListField(
        child=StrictSlugField(max_length=80),
        max_length=500,
        default=list,
        help_text="Question slugs; a question may be in several tournaments.",
    )
    visibility = StrictChoiceField(choices=Visibility.values)

    def validate_questions(self, slugs):
        found = {q.slug: q for q in Question.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise serializers.ValidationError(
                f"No such question: {', '.join(missing)}."
            )
        return list(found.values())


class MemberInput(StrictSerializer):
    username = StrictCharField(max_length=150)

    def validate_username(self, username):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise serializers.ValidationError("No such user.")
        return user


class JoinInput(StrictSerializer):
    token = StrictCharField(max_length=64, help_text="The invite link's token.")


class TournamentOutput(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(help_text="Markdown.")
    html = serializers.SerializerMethodField(help_text="The description as HTML.")
    start_time = Timestamp()
    end_time = Timestamp()
    status = serializers.SerializerMethodField()
    visibility = serializers.ChoiceField(choices=Visibility.values)
    questions = serializers.SerializerMethodField()
    is_member = serializers.BooleanField()
    invite_token = serializers.CharField(
        required=False, help_text="Staff only: the token of the invite link."
    )

    def get_html(self, tournament) -> str:
        return markdown.render(tournament.description)

    @extend_schema_field(serializers.ChoiceField(choices=Phase.values))
    def get_status(self, tournament) -> str:
        return tournament.phase()

    def get_questions(self, tournament) -> list[str]:
        return [q.slug for q in tournament.shown_questions]

    def to_representation(self, tournament):
        data = super().to_representation(tournament)
        if not self.context.get("staff"):
            data.pop("invite_token")
        return data


class TournamentLeaderboardQuery(serializers.Serializer):
    by = serializers.ChoiceField(choices=list(LEADERBOARD_ORDER), default="brier")
    min_coverage = serializers.DecimalField(
        max_digits=5,
        decimal_places=4,
        min_value=Decimal(0),
        max_value=Decimal(1),
        default=Decimal("0.5"),
        help_text="A fraction from 0 to 1: forecasters scored on fewer of the "
        "resolved questions are left out (0.5: half).",
    )


class TournamentLeaderboardRowOutput(serializers.Serializer):
    username = serializers.CharField(source="user__username")
    questions = serializers.IntegerField(help_text="Resolved questions scored on.")
    coverage = ScoreNumber(
        help_text="questions / the tournament's resolved, non-annulled questions."
    )
    mean_brier = ScoreNumber(allow_null=True)
    mean_relative_brier = ScoreNumber(allow_null=True)
    points = ScoreNumber()


def tournament_data(request, tournaments) -> list[dict]:
    """Return tournaments as the API shows them to this user."""
    context = {"staff": selectors.is_staff(request.user)}
    return TournamentOutput(tournaments, many=True, context=context).data


def shown(request, slug: str) -> Tournament:
    """Return the tournament, read again with what the API shows of it."""
    found = selectors.visible_tournaments(request.user).filter(slug=slug)
    tournament = selectors.with_question_slugs(found, request.user).first()
    if tournament is None:
        raise Http404("No such tournament.")
    return tournament


def answer(request, slug: str, status: int = 200) -> Response:
    return Response(tournament_data(request, [shown(request, slug)])[0], status=status)


class TournamentListView(ListView):
    permission_classes = [IsStaffOrReadOnly]

    @extend_schema(
        tags=TAG,
        summary="List the tournaments you can see",
        responses={200: TournamentOutput(many=True), **error_responses(400, 404)},
    )
    def get(self, request):
        tournaments = selectors.visible_tournaments(request.user)
        page = self.paginate_queryset(
            selectors.with_question_slugs(tournaments, request.user)
        )
        return self.get_paginated_response(tournament_data(request, page))

    @extend_schema(
        tags=TAG,
        summary="Create a tournament (staff)",
        request=TournamentInput,
        responses={201: TournamentOutput, **error_responses(400, 401, 403, 413, 415)},
    )
    def post(self, request):
        serializer = TournamentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        tournament = services.create_tournament(**serializer.validated_data)
        return answer(request, tournament.slug, status=201)


class TournamentDetailView(APIView):
    @extend_schema(
        tags=TAG,
        summary="Read a tournament (staff also see its invite token)",
        responses={200: TournamentOutput, **error_responses(404)},
    )
    def get(self, request, slug):
        return answer(request, slug)


class InviteView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        tags=TAG,
        summary="Rotate the invite token (staff); the old link stops working",
        request=None,
        responses={200: TournamentOutput, **error_responses(401, 403, 404)},
    )
    def post(self, request, slug):
        tournament = selectors.get_tournament(request.user, slug)
        services.rotate_invite(tournament=tournament)
        return answer(request, slug)


class MembersView(APIView):
    permission_classes = [IsStaff]

    @extend_schema(
        tags=TAG,
        summary="Add a member by username (staff)",
        request=MemberInput,
        responses={
            200: TournamentOutput,
            **error_responses(400, 401, 403, 404, 413, 415),
        },
    )
    def post(self, request, slug):
        tournament = selectors.get_tournament(request.user, slug)
        serializer = MemberInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.add_member(
            tournament=tournament, user=serializer.validated_data["username"]
        )
        return answer(request, slug)


class JoinView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=TAG,
        summary="Join a tournament with its invite token",
        description="A wrong token is 400 on a tournament you can see, and 404 "
        "on a private one, which does not tell that it exists.",
        request=JoinInput,
        responses={
            200: TournamentOutput,
            **error_responses(400, 401, 404, 413, 415),
        },
    )
    def post(self, request, slug):
        serializer = JoinInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        tournament = Tournament.objects.filter(slug=slug).first()
        if tournament is None:
            raise Http404("No such tournament.")
        try:
            services.join_tournament(
                tournament=tournament, user=request.user, **serializer.validated_data
            )
        except ValidationError:
            visible = selectors.visible_tournaments(request.user)
            if not visible.filter(pk=tournament.pk).exists():
                raise Http404("No such tournament.") from None
            raise
        return answer(request, slug)


class LeaderboardView(ListView):
    @extend_schema(
        tags=TAG,
        summary="The tournament's forecasters ranked on its resolved questions",
        parameters=[TournamentLeaderboardQuery],
        responses={
            200: TournamentLeaderboardRowOutput(many=True),
            **error_responses(400, 404),
        },
    )
    def get(self, request, slug):
        params = query(TournamentLeaderboardQuery, request)
        tournament = selectors.get_tournament(request.user, slug)
        board = selectors.tournament_leaderboard(
            tournament, by=params["by"], min_coverage=float(params["min_coverage"])
        )
        page = self.paginate_queryset(board.rows)
        return self.get_paginated_response(
            TournamentLeaderboardRowOutput(page, many=True).data
        )
