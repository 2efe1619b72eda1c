"""Load the practice set through the real services, with entries in the past."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import numpy as np
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from forecasts.models import Kind, Question
from forecasts.practice import PRACTICE_TAG
from forecasts.practice.forecasters import ADMIN, NAMES, plan_entries, usernames
from forecasts.practice.questions import QUESTIONS, PracticeQuestion
from forecasts.services import (
    create_question,
    extend_community_series,
    resolve_question,
    score_resolution,
    submit_forecast,
)

DEFAULT_SEED = 20250227
PUBLISHED_BEFORE_OPEN = timedelta(days=2)
RESOLVED_AFTER_CLOSE = timedelta(days=2)


class PracticeSetError(Exception):
    """The practice set cannot be loaded as asked."""


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Make django.utils.timezone.now() return moment inside the block.

    The ledger stamps every entry and resolution with the server's time and
    offers no way to backdate one, on purpose; a practice set needs a history,
    so it sets the clock instead. Only for this one-off command: the patch is
    process-wide, so it must never run inside a serving process.
    """
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    entries: int = 0


def load_practice_set(
    *, forecasters: int = len(NAMES), seed: int = DEFAULT_SEED, today=None
) -> LoadReport:
    """Create the missing practice questions with forecasts, resolutions and scores.

    Questions already present are skipped. Times count back from today
    (midnight UTC); the seed fixes every forecast.
    """
    if not 1 <= forecasters <= len(NAMES):
        raise PracticeSetError(f"Choose between 1 and {len(NAMES)} forecasters.")
    today = today or _midnight(timezone.now())
    present = _present_slugs()
    report = LoadReport(skipped=[q.slug for q in QUESTIONS if q.slug in present])
    missing = [(i, q) for i, q in enumerate(QUESTIONS) if q.slug not in present]
    if not missing:
        return report
    with transaction.atomic():
        admin, users = _synthetic_users(forecasters, today)
        for index, practice in missing:
            rng = np.random.default_rng([seed, index])
            report.entries += _load_question(practice, today, users, admin, rng)
            report.created.append(practice.slug)
    return report


def _present_slugs() -> set[str]:
    slugs = [q.slug for q in QUESTIONS]
    return set(Question.objects.filter(slug__in=slugs).values_list("slug", flat=True))


def _synthetic_users(forecasters: int, today: datetime):
    joined = today - timedelta(days=max(q.opened_days_ago for q in QUESTIONS) + 7)
    admin = synthetic_user(ADMIN, joined=joined, staff=True)
    users = [synthetic_user(name, joined=joined) for name in usernames(forecasters)]
    return admin, users


def _midnight(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def synthetic_user(username: str, *, joined: datetime, staff: bool = False):
    """Return the practice account, created with an unusable password."""
    user, created = get_user_model().objects.get_or_create(
        username=username,
        defaults={
            "password": make_password(None),
            "is_staff": staff,
            "date_joined": joined,
        },
    )
    if not created and user.has_usable_password():
        raise PracticeSetError(
            f"{username} is a real account (it has a password); "
            "the practice set will not forecast in its name."
        )
    return user


def _load_question(practice: PracticeQuestion, today, users, admin, rng) -> int:
    opens = today - timedelta(days=practice.opened_days_ago)
    closes = today - timedelta(days=practice.closed_days_ago)
    question = _create(practice, opens, closes)
    planned = plan_entries(practice, opens, closes, len(users), rng)
    for entry in planned:
        with clock_at(entry.at):
            submit_forecast(
                question=question,
                user=users[entry.forecaster],
                rationale=entry.rationale,
                **_forecast_arguments(practice, entry.percents),
            )
    _resolve(question, practice, admin, resolved_at=closes + RESOLVED_AFTER_CLOSE)
    return len(planned)


def _create(practice: PracticeQuestion, opens, closes) -> Question:
    published = opens - PUBLISHED_BEFORE_OPEN
    with clock_at(published):
        # The flag, set here and nowhere else, is what makes the question
        # removable by remove_demo; the tag only labels it.
        return create_question(
            tags=[PRACTICE_TAG],
            practice=True,
            slug=practice.slug,
            title=practice.title,
            body=practice.body,
            resolution_criteria=practice.criteria,
            kind=Kind.BINARY if practice.is_binary else Kind.MULTIPLE_CHOICE,
            options=list(practice.options),
            ordered=not practice.is_binary,
            open_time=opens,
            close_time=closes,
            resolve_time=closes + RESOLVED_AFTER_CLOSE,
            created_at=published,
        )


def _forecast_arguments(practice: PracticeQuestion, percents) -> dict:
    values = [Decimal(p) / 100 for p in percents]
    if practice.is_binary:
        return {"probability": values[1]}
    return {"probabilities": values}


def _resolve(question: Question, practice: PracticeQuestion, admin, resolved_at):
    # Scored here rather than by the on_commit task, so scores exist at once;
    # the task then finds the version scored and does nothing.
    with clock_at(resolved_at):
        extend_community_series(question=question, until=question.close_time)
        event = resolve_question(
            question=question,
            user=admin,
            outcome=practice.outcome,
            note=f"Practice resolution (synthetic): {practice.note}",
            effective_at=question.close_time,
        )
        score_resolution(resolution_id=event.pk)
