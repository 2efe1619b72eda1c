"""Forecasts and a resolution sent to the API are scored and e-mailed by a worker."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from forecasts.selectors.scores import question_result
from tests.factories import QuestionFactory, UserFactory
from tests.production.conftest import EXPECTED_BRIER, briers, thread_worker
from tests.production.processes import wait_until

pytestmark = pytest.mark.postgres

SCORE_TASK = "forecasts.tasks.score_resolution_task"
NOTIFY_TASK = "forecasts.tasks.notify_resolution_task"


def api_as(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_resolving_through_the_api_gets_scores_and_emails_from_the_worker(
    live_postgres, staff, shared_redis, make_celery_app, finished_tasks, mailoutbox
):
    question = QuestionFactory()
    url = f"/api/questions/{question.slug}"
    for name, probability in [("ann", 0.7), ("bob", 0.2)]:
        forecaster = api_as(UserFactory(username=name))
        sent = forecaster.post(
            f"{url}/forecasts/", {"probability": probability}, format="json"
        )
        assert sent.status_code == 201, sent.content
    with thread_worker(make_celery_app(shared_redis)):
        resolved = api_as(staff).post(
            f"{url}/resolve/", {"outcome": "Yes"}, format="json"
        )
        assert resolved.status_code == 200, resolved.content
        wait_until(
            lambda: len(finished_tasks) == 2, what="the worker to score and notify"
        )
    assert finished_tasks == [(SCORE_TASK, "SUCCESS"), (NOTIFY_TASK, "SUCCESS")]
    assert question_result(question).state == "done"
    assert briers(question) == EXPECTED_BRIER
    bodies = {message.to[0]: message.body for message in mailoutbox}
    assert sorted(bodies) == ["ann@example.com", "bob@example.com"]
    assert "Your Brier score: 0.180\n" in bodies["ann@example.com"]
