"""Who gets which e-mail: recipients of resolutions and reminders, and settings."""

from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, QuerySet

from forecasts.models import (
    Notification,
    NotificationSettings,
    ResolutionEvent,
    Score,
    Standing,
)

REMINDER_AGE = timedelta(days=30)


def notification_settings(user) -> NotificationSettings:
    """Return the user's e-mail settings, the defaults if never saved."""
    return NotificationSettings.objects.filter(
        user=user
    ).first() or NotificationSettings(user=user)


def reachable_standings(opted_out: str) -> QuerySet[Standing]:
    """Return standing forecasts of active users with an address not opted out."""
    return (
        Standing.objects.filter(user__is_active=True)
        .exclude(user__email="")
        .exclude(**{f"user__notification_settings__{opted_out}": False})
        .select_related("user", "question", "entry")
    )


def notifiable_resolution(resolution_id: int) -> ResolutionEvent | None:
    """Return the resolution version if it is scored and still the latest."""
    event = (
        ResolutionEvent.objects.select_related("question__head")
        .filter(pk=resolution_id, scoring__isnull=False)
        .first()
    )
    if event is None or event.question.head.resolutions != event.version:
        return None
    return event


def resolution_recipients(event: ResolutionEvent) -> list[tuple[Standing, Score]]:
    """Return each forecaster to tell of the resolution, with their score if any.

    Leave out those already told. Forecasts made after the outcome became
    known are not scored: those forecasters are told too, with no score.
    """
    told = Notification.objects.filter(
        kind=Notification.RESOLUTION,
        user=OuterRef("user"),
        question=event.question_id,
        version=event.version,
    )
    standings = (
        reachable_standings("resolution_emails")
        .filter(question_id=event.question_id)
        .exclude(Exists(told))
    )
    scores = {s.user_id: s for s in Score.objects.filter(resolution=event)}
    return [(s, scores.get(s.user_id)) for s in standings.order_by("user_id")]


def stale_standings(*, now: datetime) -> list[Standing]:
    """Return standing forecasts older than REMINDER_AGE on open questions.

    Leave out those already reminded of; ordered by user, to group by user.
    """
    reminded = Notification.objects.filter(
        kind=Notification.REMINDER,
        user=OuterRef("user"),
        question=OuterRef("question"),
        sequence=OuterRef("sequence"),
    )
    return list(
        reachable_standings("reminder_emails")
        .filter(
            entry__created_at__lte=now - REMINDER_AGE,
            question__published_at__isnull=False,
            question__open_time__lte=now,
            question__close_time__gt=now,
            question__head__resolutions=0,
        )
        .exclude(Exists(reminded))
        .order_by("user_id", "question__close_time", "question_id")
    )
