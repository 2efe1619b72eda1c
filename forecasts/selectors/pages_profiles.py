"""Reads for the profile pages."""

from dataclasses import dataclass
from datetime import datetime

from forecasts.models import Question, Standing
from tournaments.visibility import publicly_counted


@dataclass(frozen=True)
class StandingForecast:
    question: Question
    probabilities: list[float]
    updated_at: datetime


def standing_forecasts(user) -> list[StandingForecast]:
    """Return the user's standing forecast on each question they forecast.

    Only the user themself may see this list before the questions resolve.
    """
    rows = (
        Standing.objects.filter(user=user)
        .select_related("question__head", "entry")
        .order_by("question__close_time", "question__slug")
    )
    return [
        StandingForecast(
            s.question,
            [v / s.question.vector_unit for v in s.probabilities_bp],
            s.entry.created_at,
        )
        for s in rows
    ]


def forecast_count(user, *, settled_only: bool, include_private: bool = False) -> int:
    """Return on how many questions the user has a forecast.

    settled_only counts only resolved or annulled questions: what others may
    see, since a count that moves with an open question's ledger head tells
    who forecast where and when. Questions only private tournaments hold count
    only with include_private (the owner's own view).
    """
    standing = Standing.objects.filter(user=user)
    if settled_only:
        standing = standing.filter(question__head__resolutions__gt=0)
    if not include_private:
        standing = standing.filter(publicly_counted("question_id"))
    return standing.count()
