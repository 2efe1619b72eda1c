"""Reads for tournaments: which ones a user sees, their questions and standings."""

import math
import secrets
from dataclasses import dataclass

from django.db.models import (
    Avg,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.http import Http404

from forecasts import scoring
from forecasts.models import Question
from forecasts.selectors.calibration import calibration_for
from forecasts.selectors.questions import QuestionRow, question_rows, visible_questions
from forecasts.selectors.scores import LEADERBOARD_ORDER, counted_scores
from tournaments.models import Tournament, Visibility

DEFAULT_MIN_COVERAGE = 0.5
Membership = Tournament.members.through


def is_staff(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_staff)


def visible_tournaments(user) -> QuerySet[Tournament]:
    """Return the tournaments this user sees, each marked is_member.

    Public ones, and private ones to their members; staff see every one.
    """
    if user is None or not user.is_authenticated:
        return Tournament.objects.filter(visibility=Visibility.PUBLIC).annotate(
            is_member=Value(False)
        )
    membership = Membership.objects.filter(tournament_id=OuterRef("pk"), user=user)
    tournaments = Tournament.objects.annotate(is_member=Exists(membership))
    if is_staff(user):
        return tournaments
    return tournaments.filter(Q(visibility=Visibility.PUBLIC) | Q(is_member=True))


def with_question_slugs(tournaments: QuerySet[Tournament], user) -> QuerySet:
    """Prefetch the slugs of each tournament's questions this user sees."""
    shown = visible_questions(user).select_related(None).prefetch_related(None)
    return tournaments.prefetch_related(
        Prefetch("questions", queryset=shown.only("slug"), to_attr="shown_questions")
    )


def get_tournament(user, slug: str) -> Tournament:
    """Return the tournament if this user may see it, else raise 404.

    Never 403, which would tell a non-member that a private tournament exists.
    """
    tournament = visible_tournaments(user).filter(slug=slug).first()
    if tournament is None:
        raise Http404("No such tournament.")
    return tournament


def valid_invite(tournament: Tournament, token: str) -> bool:
    """Return whether the token is the tournament's current invite token."""
    return secrets.compare_digest(token.encode(), tournament.invite_token.encode())


def tournament_questions(tournament: Tournament, user) -> QuerySet[Question]:
    """Return the tournament's questions this user sees, by close time."""
    return visible_questions(user).filter(tournaments=tournament)


@dataclass(frozen=True)
class TournamentQuestion:
    row: QuestionRow
    outside: bool  # open or close time outside the tournament's dates


def question_table(tournament: Tournament, user) -> list[TournamentQuestion]:
    """Return the questions as the tournament page lists them for this user."""
    questions = list(tournament_questions(tournament, user))
    return [
        TournamentQuestion(
            row,
            row.question.open_time < tournament.start_time
            or row.question.close_time > tournament.end_time,
        )
        for row in question_rows(questions, user)
    ]


def resolved_question_ids(tournament: Tournament) -> QuerySet:
    """Return the ids of the tournament's resolved, non-annulled questions."""
    return tournament.questions.filter(
        head__resolutions__gt=0, head__annulled=False
    ).values("pk")


@dataclass(frozen=True)
class Leaderboard:
    rows: list[dict]
    resolved: int  # the tournament's resolved, non-annulled questions


def tournament_leaderboard(
    tournament: Tournament,
    *,
    by: str = "brier",
    min_coverage: float = DEFAULT_MIN_COVERAGE,
) -> Leaderboard:
    """Rank forecasters on the tournament's resolved questions.

    The current scores of those questions, nothing recomputed: per forecaster
    the questions scored, coverage (scored / resolved, 0..1), the mean of
    time-averaged Brier, the mean relative Brier (where it exists) and the
    sum of points. Two queries whatever the number of forecasters.
    """
    resolved = resolved_question_ids(tournament).count()
    if not resolved:
        return Leaderboard([], 0)
    # Rounded first, so that 0.3 of 10 questions needs 3, not 4.
    needed = math.ceil(round(min_coverage * resolved, 9))
    rows = (
        counted_scores(questions=tournament.questions.values("pk"))
        .values("user_id", "user__username")
        .annotate(
            questions=Count("id"),
            mean_brier=Avg("time_averaged_brier"),
            mean_relative_brier=Avg("relative_brier"),
            points=Sum("points"),
        )
        .filter(questions__gte=max(needed, 1))
        .order_by(LEADERBOARD_ORDER[by], "user__username")
    )
    return Leaderboard(
        [{**row, "coverage": row["questions"] / resolved} for row in rows], resolved
    )


def tournament_calibration(tournament: Tournament) -> scoring.Calibration:
    """Return the site-wide calibration restricted to the tournament's questions."""
    return calibration_for(questions=tournament.questions.values("pk"))
