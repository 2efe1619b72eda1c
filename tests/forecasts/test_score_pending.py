"""score_pending scores the resolution versions whose scoring was never queued."""

import logging
from contextlib import contextmanager
from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from forecasts.selectors.pending import unscored_resolution_ids
from forecasts.selectors.scores import question_result
from forecasts.services import resolve_question, submit_forecast
from forecasts.tasks import score_pending, score_resolution_task
from tests.factories import QuestionFactory

pytestmark = pytest.mark.core


@contextmanager
def broker_down():
    """Make queueing scoring fail as it does when Redis refuses connections."""
    refusal = OperationalError("Error 111 connecting to 127.0.0.1:6379.")
    task = score_resolution_task._get_current_object()
    with mock.patch.object(task, "delay", side_effect=refusal):
        yield


@pytest.fixture
def resolve(django_capture_on_commit_callbacks, staff):
    """Return a resolver that commits, so that scoring is queued."""

    def resolve(question, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return resolve_question(question=question, user=staff, **kwargs)

    return resolve


def test_resolution_whose_scoring_could_not_be_queued_is_scored_later(
    resolve, binary_question, user, caplog
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    with broker_down(), caplog.at_level(logging.ERROR):
        event = resolve(binary_question, outcome=1)
    assert "Could not queue scoring" in caplog.text
    assert question_result(binary_question).state == "pending"

    score_pending.delay()

    result = question_result(binary_question)
    assert (result.resolution, result.state) == (event, "done")
    assert [round(score.brier, 6) for score in result.scores] == [0.18]


def test_score_pending_scores_only_the_latest_unscored_versions(resolve, user):
    scored, superseded, unresolved = (QuestionFactory() for _ in range(3))
    for question in (scored, superseded, unresolved):
        submit_forecast(question=question, user=user, probability=0.7)
    resolve(scored, outcome=1)
    with broker_down():
        first = resolve(superseded, outcome=1)
        latest = resolve(superseded, outcome=0, re_resolve=True, note="Misread.")
    assert unscored_resolution_ids() == [latest.pk]

    assert score_pending.delay().get() == 1

    assert unscored_resolution_ids() == []
    assert not first.scores.exists()
    assert question_result(superseded).state == "done"
    assert score_pending.delay().get() == 0
