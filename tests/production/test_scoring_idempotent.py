"""Running the scoring and e-mail tasks again for a scored version changes nothing."""

import pytest

from forecasts.models import Score, Scoring
from forecasts.services import resolve_question
from forecasts.tasks import notify_resolution_task, score_resolution_task
from tests.production.conftest import EXPECTED_BRIER, briers, thread_worker
from tests.production.processes import wait_until

pytestmark = pytest.mark.postgres

SCORE_TASK = "forecasts.tasks.score_resolution_task"
NOTIFY_TASK = "forecasts.tasks.notify_resolution_task"


def stored_scores(question) -> tuple[list[dict], list[dict]]:
    """Return every stored score row and scoring marker of the question."""
    scores = Score.objects.filter(question=question).order_by("pk").values()
    markers = Scoring.objects.filter(resolution__question=question).values()
    return list(scores), list(markers)


def test_scoring_a_version_twice_changes_nothing_and_emails_once(
    forecasted_question,
    staff,
    shared_redis,
    make_celery_app,
    finished_tasks,
    mailoutbox,
):
    with thread_worker(make_celery_app(shared_redis)):
        event = resolve_question(question=forecasted_question, user=staff, outcome=1)
        wait_until(
            lambda: len(finished_tasks) == 2, what="the first run to score and notify"
        )
        first = stored_scores(forecasted_question)
        score_resolution_task.delay(event.pk)
        notify_resolution_task.delay(event.pk)
        wait_until(lambda: len(finished_tasks) == 4, what="the second runs to finish")
    assert sorted(finished_tasks) == [
        (name, "SUCCESS") for name in (NOTIFY_TASK, NOTIFY_TASK, SCORE_TASK, SCORE_TASK)
    ]
    assert stored_scores(forecasted_question) == first
    assert briers(forecasted_question) == EXPECTED_BRIER
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.com", "bob@example.com"]
