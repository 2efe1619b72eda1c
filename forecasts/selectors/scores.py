"""Read the scores of a question's latest resolution version, never an older one."""

from dataclasses import dataclass

from forecasts.models import Question, ResolutionEvent, Score


@dataclass(frozen=True)
class QuestionResult:
    """The latest resolution of a question and its scores.

    state is "unresolved", "annulled", "pending" (scores being computed) or "done".
    """

    resolution: ResolutionEvent | None
    state: str
    scores: list[Score]


def question_result(question: Question) -> QuestionResult:
    """Return the latest resolution version with its scores, if computed."""
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
    scores = list(
        Score.objects.filter(resolution=latest)
        .select_related("user")
        .order_by("time_averaged_brier", "user__username")
    )
    return QuestionResult(latest, "done", scores)
