from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from forecasts.services import resolve_question, submit_forecast
from tests.api.conftest import client_for, fresh_caches  # noqa: F401  (autouse)
from tests.factories import QuestionFactory, UserFactory
from tournaments.models import Tournament


def make_tournament(questions=(), *, visibility="private", members=(), **fields):
    now = timezone.now()
    fields = {
        "slug": "team-round",
        "title": "Team round",
        "start_time": now - timedelta(days=30),
        "end_time": now + timedelta(days=60),
        **fields,
    }
    tournament = Tournament.objects.create(visibility=visibility, **fields)
    tournament.questions.set(questions)
    tournament.members.set(members)
    return tournament


@pytest.fixture
def resolve(staff, clock, django_capture_on_commit_callbacks):
    """Return a maker of closed questions, forecast at their open time, resolved.

    Every forecast is made at the open time, so each forecaster's
    time-averaged Brier is the Brier of that one forecast.
    """
    now = clock.moment

    def make(forecasts, outcome=1, annul=False):
        question = QuestionFactory(
            open_time=now - timedelta(days=10), close_time=now - timedelta(days=1)
        )
        clock.set(question.open_time)
        for user, p in forecasts:
            submit_forecast(question=question, user=user, probability=Decimal(p))
        clock.set(now)
        with django_capture_on_commit_callbacks(execute=True):
            if annul:
                resolve_question(
                    question=question, user=staff, annulled=True, note="Void."
                )
            else:
                resolve_question(question=question, user=staff, outcome=outcome)
        return question

    return make


@pytest.fixture
def member(db):
    return UserFactory(username="member")


@pytest.fixture
def outsider(db):
    return UserFactory(username="outsider")


@pytest.fixture
def clients(member, outsider, staff):
    """API clients of the four roles, by name."""
    return {
        "anon": client_for(None),
        "outsider": client_for(outsider),
        "member": client_for(member),
        "staff": client_for(staff),
    }
