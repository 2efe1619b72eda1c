"""A scoring task that fails is retried by the worker, with backoff, and completes."""

import pytest
from django.db import OperationalError

from forecasts import services
from forecasts.selectors.scores import question_result
from forecasts.services import resolve_question
from tests.production.conftest import EXPECTED_BRIER, briers, thread_worker
from tests.production.processes import wait_until

pytestmark = pytest.mark.postgres

SCORE_TASK = "forecasts.tasks.score_resolution_task"
NOTIFY_TASK = "forecasts.tasks.notify_resolution_task"


@pytest.fixture
def scoring_fails_once(monkeypatch):
    """Make the first scoring attempt fail as when the database drops a connection."""
    score = services.score_resolution
    attempts = []

    def fail_first(**kwargs):
        attempts.append(kwargs)
        if len(attempts) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return score(**kwargs)

    monkeypatch.setattr(services, "score_resolution", fail_first)
    return attempts


def test_scoring_that_fails_once_is_retried_and_completes(
    forecasted_question,
    staff,
    shared_redis,
    make_celery_app,
    finished_tasks,
    scoring_fails_once,
):
    with thread_worker(make_celery_app(shared_redis)):
        resolve_question(question=forecasted_question, user=staff, outcome=1)
        wait_until(
            lambda: len(finished_tasks) == 3,
            what="the retried task to score the resolution, then the e-mails",
        )
    assert question_result(forecasted_question).state == "done"
    assert briers(forecasted_question) == EXPECTED_BRIER
    assert len(scoring_fails_once) == 2
    assert finished_tasks == [
        (SCORE_TASK, "RETRY"),
        (SCORE_TASK, "SUCCESS"),
        (NOTIFY_TASK, "SUCCESS"),
    ]
