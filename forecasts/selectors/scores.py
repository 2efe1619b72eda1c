"""Read the scores of a question's latest resolution version, never an older one."""

from dataclasses import dataclass

from django.db.models import Avg, Count, F, QuerySet, Sum

from forecasts.models import Question, ResolutionEvent, Score
from tournaments.visibility import publicly_counted


@dataclass(frozen=True)
class QuestionResult:
    """The latest resolution of a question and its scores.

    state is "unresolved", "annulled", "pending" (scores being computed) or "done".
    """

    resolution: ResolutionEvent | None
    state: str
    scores: list[Score]
    forecasters: int = 0


def question_result(question: Question, *, only_user=None) -> QuestionResult:
    """Return the latest resolution version with its scores, if computed.

    With only_user, just that user's score is read (a page with 100,000
    forecasters shows one); `forecasters` still counts everyone scored.
    """
    latest = (
        ResolutionEvent.objects.filter(question=question)
        .select_related("scoring")
        .order_by("-version")
        .first()
    )
    if latest is None:
        return QuestionResult(None, "unresolved", [])
    if latest.annulled:
        return QuestionResult(latest, "annulled", [])
    if not hasattr(latest, "scoring"):
        return QuestionResult(latest, "pending", [])
    scores = Score.objects.filter(resolution=latest)
    if only_user is not None:
        scores = scores.filter(user_id=only_user.pk)
    ordered = scores.select_related("user").order_by(
        "time_averaged_brier", "user__username"
    )
    return QuestionResult(latest, "done", list(ordered), latest.scoring.forecasters)


def latest_scores() -> QuerySet[Score]:
    """Return the scores of every question's latest resolution version only.

    resolve_question clears `current` on a question's scores when it appends
    a newer version, so these are the rows whose version is the head's.
    """
    return Score.objects.filter(current=True)


def counted_scores(*, include_private: bool = False, questions=None) -> QuerySet[Score]:
    """Return the latest scores a reading counts.

    Site-wide and public reads leave out questions that only private
    tournaments hold, for every viewer; a forecaster's own view includes them
    (include_private); `questions` (ids) narrows to a tournament's questions.
    """
    scores = latest_scores()
    if questions is not None:
        return scores.filter(question_id__in=questions)
    if include_private:
        return scores
    return scores.filter(publicly_counted("question_id"))


def user_scores(user, *, include_private: bool = False) -> list[Score]:
    """Return the user's scores per resolved question, most recently resolved first."""
    return list(
        counted_scores(include_private=include_private)
        .filter(user=user)
        .select_related("question", "resolution")
        .order_by("-resolution__created_at", "question_id")
    )


@dataclass(frozen=True)
class Totals:
    questions: int
    mean_brier: float | None
    mean_relative_brier: float | None
    points: float


def user_totals(user, *, include_private: bool = False) -> Totals:
    """Return the user's mean time-averaged Brier, mean relative Brier and points."""
    row = (
        counted_scores(include_private=include_private)
        .filter(user=user)
        .aggregate(
            questions=Count("id"),
            mean_brier=Avg("time_averaged_brier"),
            mean_relative_brier=Avg("relative_brier"),
            points=Sum("points"),
        )
    )
    return Totals(**{**row, "points": row["points"] or 0.0})


# Forecasters with no relative Brier (no community yet) rank last on every
# backend; SQLite and PostgreSQL put NULL at opposite ends by default.
LEADERBOARD_ORDER = {
    "brier": F("mean_brier").asc(nulls_last=True),
    "relative_brier": F("mean_relative_brier").asc(nulls_last=True),
    "points": F("points").desc(nulls_last=True),
}


def leaderboard(
    *, by: str = "brier", tag: str | None = None, min_questions: int = 1
) -> QuerySet:
    """Return one row per forecaster: username, questions, means and points.

    Annulled questions have no scores, so they never count.
    """
    scores = counted_scores()
    if tag:
        scores = scores.filter(question__tags__slug=tag)
    return (
        scores.values("user_id", "user__username")
        .annotate(
            questions=Count("id"),
            mean_brier=Avg("time_averaged_brier"),
            mean_relative_brier=Avg("relative_brier"),
            points=Sum("points"),
        )
        .filter(questions__gte=min_questions)
        .order_by(LEADERBOARD_ORDER[by], "user__username")
    )
