"""Reads the API needs as querysets, so lists can be paginated in the database."""

from django.db.models import F, QuerySet

from forecasts.models import (
    CommunityPoint,
    Entry,
    Question,
    ResolutionEvent,
    Score,
    Standing,
)
from forecasts.selectors.scores import counted_scores


def latest_resolutions(questions: list[Question]) -> dict[int, ResolutionEvent]:
    """Return the latest resolution event of each resolved question, with scoring."""
    resolved = [q.pk for q in questions if _resolutions(q)]
    if not resolved:
        return {}
    events = ResolutionEvent.objects.filter(
        question_id__in=resolved, version=F("question__head__resolutions")
    ).select_related("scoring")
    return {event.question_id: event for event in events}


def _resolutions(question: Question) -> int:
    head = getattr(question, "head", None)
    return head.resolutions if head else 0


def scoring_state(event: ResolutionEvent | None) -> str:
    """Return "unresolved", "annulled", "pending" or "done" for a latest event."""
    if event is None:
        return "unresolved"
    if event.annulled:
        return "annulled"
    return "done" if hasattr(event, "scoring") else "pending"


def question_scores(event: ResolutionEvent | None) -> QuerySet[Score]:
    """Return the scores of one resolution version, best time-averaged Brier first."""
    if event is None or not hasattr(event, "scoring"):
        return Score.objects.none()
    return (
        Score.objects.filter(resolution=event)
        .select_related("user")
        .order_by("time_averaged_brier", "user__username")
    )


def community_points(question: Question) -> QuerySet[CommunityPoint]:
    """Return the stored community series of a question, oldest first."""
    return CommunityPoint.objects.filter(question=question).order_by("time")


def has_forecast(question: Question, user) -> bool:
    """Return whether the user has a forecast on the question."""
    if user is None or not user.is_authenticated:
        return False
    return Standing.objects.filter(question=question, user=user).exists()


def own_entries(question: Question, user) -> QuerySet[Entry]:
    """Return the user's entries on a question, oldest first."""
    return (
        Entry.objects.filter(question=question, user=user)
        .select_related("question", "user")
        .order_by("sequence")
    )


def user_score_rows(user, *, include_private: bool = False) -> QuerySet[Score]:
    """Return the user's latest-version scores, most recently resolved first."""
    return (
        counted_scores(include_private=include_private)
        .filter(user=user)
        .select_related("question", "resolution", "user")
        .order_by("-resolution__created_at", "question_id")
    )
