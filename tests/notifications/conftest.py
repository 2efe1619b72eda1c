import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache.backends.locmem import LocMemCache

from forecasts.selectors import cached_leaderboard
from forecasts.services import resolve_question, snapshots, submit_forecast
from tests.factories import QuestionFactory, UserFactory

T0 = datetime(2025, 3, 1, tzinfo=UTC)


@pytest.fixture(autouse=True)
def fresh_cache(monkeypatch):
    """Give each test an empty cache of its own for snapshot keys and boards.

    Clearing the shared one would wipe other runs' keys on a shared Redis.
    """
    cache = LocMemCache(f"notifications-{uuid.uuid4()}", {})
    monkeypatch.setattr(snapshots, "cache", cache)
    monkeypatch.setattr(cached_leaderboard, "cache", cache)
    return cache


@pytest.fixture
def resolve(django_capture_on_commit_callbacks, staff):
    """Return a resolver that commits, so that scoring and e-mails follow inline."""

    def resolve(question, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return resolve_question(question=question, user=staff, **kwargs)

    return resolve


@pytest.fixture
def question_at_t0(db, clock):
    """Return a binary question open from T0, with the clock standing at T0."""
    clock.set(T0 - timedelta(hours=1))
    question = QuestionFactory(open_time=T0, close_time=T0 + timedelta(days=60))
    clock.set(T0)
    return question


def forecast(question, probability, user=None, **user_fields):
    """Submit a forecast by user (a new one if none); return the user."""
    user = user or UserFactory(**user_fields)
    submit_forecast(question=question, user=user, probability=probability)
    return user
