"""Find the questions whose community series the beat tasks should extend."""

from datetime import datetime

from django.db.models import F, QuerySet

from forecasts.models import Question


def unresolved_forecast_questions() -> QuerySet[Question]:
    """Return published, unresolved questions with at least one entry."""
    return Question.objects.filter(
        published_at__isnull=False,
        head__entries__gt=0,
        head__resolutions=0,
        close_time__gt=F("open_time"),
    )


def questions_closed_between(start: datetime, end: datetime) -> QuerySet[Question]:
    """Return the unresolved questions with entries that closed in (start, end]."""
    return unresolved_forecast_questions().filter(
        close_time__gt=start, close_time__lte=end
    )
