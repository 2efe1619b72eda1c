"""A resolution committed with a real broker is scored by a Celery worker."""

import pytest

from forecasts.selectors.scores import question_result
from forecasts.services import resolve_question
from tests.production.conftest import EXPECTED_BRIER, briers, thread_worker
from tests.production.processes import wait_until

pytestmark = pytest.mark.postgres


def test_resolving_a_question_gets_it_scored_by_the_worker(
    forecasted_question, staff, shared_redis, make_celery_app, finished_tasks
):
    with thread_worker(make_celery_app(shared_redis)):
        resolve_question(question=forecasted_question, user=staff, outcome=1)
        wait_until(
            lambda: question_result(forecasted_question).state == "done",
            what="the worker to score the resolution",
        )
    assert briers(forecasted_question) == EXPECTED_BRIER
    assert finished_tasks == [("forecasts.tasks.score_resolution_task", "SUCCESS")]
