"""Running the scoring task again for a scored version changes nothing."""

import pytest

from forecasts.models import Score, Scoring
from forecasts.selectors.scores import question_result
from forecasts.services import resolve_question
from forecasts.tasks import score_resolution_task
from tests.production.conftest import EXPECTED_BRIER, briers, thread_worker
from tests.production.processes import wait_until

pytestmark = pytest.mark.postgres

SCORE_TASK = "forecasts.tasks.score_resolution_task"


def stored_scores(question) -> tuple[list[dict], list[dict]]:
    """Return every stored score row and scoring marker of the question."""
    scores = Score.objects.filter(question=question).order_by("pk").values()
    markers = Scoring.objects.filter(resolution__question=question).values()
    return list(scores), list(markers)


def test_scoring_a_version_twice_changes_nothing(
    forecasted_question, staff, shared_redis, make_celery_app, finished_tasks
):
    with thread_worker(make_celery_app(shared_redis)):
        event = resolve_question(question=forecasted_question, user=staff, outcome=1)
        wait_until(
            lambda: question_result(forecasted_question).state == "done",
            what="the first run to score the resolution",
        )
        first = stored_scores(forecasted_question)
        score_resolution_task.delay(event.pk)
        wait_until(lambda: len(finished_tasks) == 2, what="the second run to finish")
    assert finished_tasks == [(SCORE_TASK, "SUCCESS"), (SCORE_TASK, "SUCCESS")]
    assert stored_scores(forecasted_question) == first
    assert briers(forecasted_question) == EXPECTED_BRIER
