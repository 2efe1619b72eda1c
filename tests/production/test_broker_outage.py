"""A resolution committed while the broker is down still succeeds, and is scored.

The publish error is logged; the beat task score_pending queues the version
once the broker is back, and its forecasters are e-mailed once it is scored.
"""

import logging

import pytest

from forecasts.selectors.scores import question_result
from forecasts.services import resolve_question
from forecasts.tasks import score_pending
from tests.production.conftest import EXPECTED_BRIER, briers, thread_worker
from tests.production.processes import wait_until

pytestmark = pytest.mark.postgres


def test_resolution_during_broker_outage_is_scored_by_score_pending(
    forecasted_question,
    staff,
    redis_server,
    make_celery_app,
    caplog,
    finished_tasks,
    mailoutbox,
):
    app = make_celery_app(redis_server.url)
    redis_server.stop()
    with caplog.at_level(logging.ERROR, logger="forecasts.services.resolution"):
        event = resolve_question(question=forecasted_question, user=staff, outcome=1)
    assert question_result(forecasted_question).resolution == event
    assert question_result(forecasted_question).state == "pending"
    assert f"Could not queue scoring of resolution {event.pk}" in caplog.text

    redis_server.start()
    with thread_worker(app):
        score_pending.delay()
        wait_until(
            lambda: "forecasts.tasks.notify_resolution_task" in dict(finished_tasks),
            what="score_pending to get the resolution scored, then notified",
        )
    assert question_result(forecasted_question).state == "done"
    assert briers(forecasted_question) == EXPECTED_BRIER
    assert sorted(m.to[0] for m in mailoutbox) == ["ann@example.com", "bob@example.com"]
