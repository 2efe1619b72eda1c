"""A worker killed in the middle of scoring leaves nothing half-written.

Reads show the resolution as pending until the broker hands the task, never
acknowledged, to a new worker, which writes the complete scores.
"""

import signal
import time
from contextlib import contextmanager

import psycopg
import pytest
from django.db import connection

from forecasts.models import Score
from forecasts.selectors.scores import question_result
from forecasts.services import resolve_question
from tests.production.conftest import EXPECTED_BRIER, briers
from tests.production.processes import celery_worker, stop, wait_until

pytestmark = pytest.mark.postgres

# Short, so the unacknowledged task is handed out again within the test.
VISIBILITY_TIMEOUT = 2


@contextmanager
def scoring_marker_blocked(database_url: str):
    """Hold a table lock that stops a scorer just before it writes its marker.

    By then the scorer has written the scores, in a transaction not committed.
    """
    with psycopg.connect(database_url) as blocker:
        blocker.execute("LOCK TABLE forecasts_scoring IN EXCLUSIVE MODE")
        yield blocker.rollback


def scorer_is_blocked() -> bool:
    """Say whether a scorer waits for the lock, its scores written but uncommitted."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE NOT granted"
            " AND relation = 'forecasts_scoring'::regclass AND database ="
            " (SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return cursor.fetchone()[0] > 0


@pytest.fixture
def workers(redis_server, live_database_url, tmp_path):
    """Return a starter of `celery worker` processes on the throwaway Redis."""
    started = []
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": live_database_url,
        "REDIS_URL": redis_server.url,
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }

    def start(queue: str):
        started.append(celery_worker(queue, env, tmp_path / "workers.log"))
        return started[-1]

    yield start
    for process in started:
        stop(process)


def test_worker_killed_mid_task_is_followed_by_complete_scores(
    forecasted_question,
    staff,
    redis_server,
    make_celery_app,
    workers,
    live_database_url,
):
    app = make_celery_app(redis_server.url)
    queue = app.conf.task_default_queue
    with scoring_marker_blocked(live_database_url) as release:
        first = workers(queue)
        resolve_question(question=forecasted_question, user=staff, outcome=1)
        wait_until(scorer_is_blocked, what="the worker to be mid-task")
        assert question_result(forecasted_question).state == "pending"
        assert not Score.objects.filter(question=forecasted_question).exists()
        stop(first, signal.SIGKILL)
        release()
    assert question_result(forecasted_question).state == "pending"
    # Redis hands an unacknowledged task out again once it is this old.
    time.sleep(VISIBILITY_TIMEOUT)
    workers(queue)
    wait_until(
        lambda: question_result(forecasted_question).state == "done",
        what="a new worker to score the redelivered task",
    )
    assert briers(forecasted_question) == EXPECTED_BRIER
