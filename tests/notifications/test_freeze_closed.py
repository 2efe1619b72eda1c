"""At close, beat stores a question's community series up to the close; no e-mail."""

from datetime import timedelta

import pytest

from forecasts.models import CommunityPoint
from forecasts.tasks import freeze_closed_questions_task
from tests.factories import QuestionFactory
from tests.notifications.conftest import T0, forecast

pytestmark = pytest.mark.core


@pytest.fixture
def closing(db, clock, settings):
    """Return questions closing at T0 + 10h and + 20h, forecast at T0 + 30 min."""
    settings.COMMUNITY_STEP_SECONDS = 3600
    settings.COMMUNITY_GRACE_SECONDS = 60
    clock.set(T0 - timedelta(hours=1))
    questions = [
        QuestionFactory(open_time=T0, close_time=T0 + timedelta(hours=hours))
        for hours in (10, 20)
    ]
    clock.set(T0 + timedelta(minutes=30))
    for question in questions:
        forecast(question, 0.72)
    return questions


def run_at(clock, moment) -> int:
    clock.set(moment)
    return freeze_closed_questions_task.delay().get()


def points(question) -> list:
    return list(
        CommunityPoint.objects.filter(question=question).values_list("time", flat=True)
    )


def test_a_question_is_frozen_once_its_close_and_grace_have_passed(
    closing, clock, mailoutbox
):
    first, second = closing
    close = first.close_time

    assert run_at(clock, close + timedelta(seconds=30)) == 0
    assert run_at(clock, close + timedelta(seconds=61)) == 1

    # Every boundary before the close, 1h..9h, and none of the later question.
    assert points(first) == [T0 + timedelta(hours=h) for h in range(1, 10)]
    assert points(second) == []
    assert mailoutbox == []


def test_each_closing_is_handled_by_the_first_run_after_it(closing, clock):
    first, second = closing

    assert run_at(clock, first.close_time + timedelta(minutes=5)) == 1
    assert run_at(clock, first.close_time + timedelta(minutes=10)) == 0
    assert run_at(clock, second.close_time + timedelta(minutes=5)) == 1

    assert len(points(second)) == 19


def test_a_resolved_question_is_not_touched(closing, clock, resolve):
    first, _ = closing
    clock.set(T0 + timedelta(hours=2))
    resolve(first, outcome=1)
    stored = points(first)

    assert run_at(clock, first.close_time + timedelta(minutes=5)) == 0
    assert points(first) == stored
