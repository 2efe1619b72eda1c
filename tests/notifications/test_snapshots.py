"""Community snapshots from beat: one job per question however often requested."""

from datetime import timedelta
from unittest import mock

import pytest
from kombu.exceptions import OperationalError

from forecasts.models import CommunityPoint
from forecasts.services import snapshots
from forecasts.tasks import community_snapshot_task, extend_community_series_task
from tests.factories import QuestionFactory
from tests.notifications.conftest import T0, forecast

pytestmark = pytest.mark.core


@pytest.fixture
def forecast_question(question_at_t0, clock, settings):
    """Return a question forecast at T0 + 30 min, with the clock at T0 + 5h."""
    settings.COMMUNITY_STEP_SECONDS = 3600
    clock.set(T0 + timedelta(minutes=30))
    forecast(question_at_t0, 0.72)
    clock.set(T0 + timedelta(hours=5))
    return question_at_t0


@pytest.fixture
def extensions(monkeypatch):
    """Count the calls that extend a community series."""
    spy = mock.Mock(wraps=snapshots.extend_community_series)
    monkeypatch.setattr(snapshots, "extend_community_series", spy)
    return spy


def test_two_requests_make_one_job_and_one_extension(
    forecast_question, extensions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        assert snapshots.request_community_snapshot(forecast_question.pk)
        assert not snapshots.request_community_snapshot(forecast_question.pk)

    assert len(jobs) == 1
    assert extensions.call_count == 1
    # Boundaries 1h..4h: 5h itself is within the grace period.
    assert CommunityPoint.objects.filter(question=forecast_question).count() == 4


def test_beat_runs_before_the_job_starts_add_no_second_job(
    forecast_question, extensions, django_capture_on_commit_callbacks
):
    other = QuestionFactory()
    forecast(other, 0.5)
    with django_capture_on_commit_callbacks(execute=True) as jobs:
        assert extend_community_series_task.delay().get() == 2
        assert extend_community_series_task.delay().get() == 0

    assert len(jobs) == 2
    assert extensions.call_count == 2


def test_a_request_after_the_job_started_queues_another(
    forecast_question, clock, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        snapshots.request_community_snapshot(forecast_question.pk)
    clock.set(T0 + timedelta(hours=7))

    with django_capture_on_commit_callbacks(execute=True) as jobs:
        assert snapshots.request_community_snapshot(forecast_question.pk)

    assert len(jobs) == 1
    assert CommunityPoint.objects.filter(question=forecast_question).count() == 6


def test_a_job_that_could_not_be_queued_does_not_block_the_next(
    forecast_question, django_capture_on_commit_callbacks
):
    task = community_snapshot_task._get_current_object()
    refused = OperationalError("Error 111 connecting to 127.0.0.1:6379.")
    with (
        mock.patch.object(task, "delay", side_effect=refused),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert snapshots.request_community_snapshot(forecast_question.pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert snapshots.request_community_snapshot(forecast_question.pk)

    assert CommunityPoint.objects.filter(question=forecast_question).count() == 4


def test_a_resolved_question_is_left_to_scoring(forecast_question, resolve, extensions):
    resolve(forecast_question, outcome=1)
    extensions.reset_mock()

    assert community_snapshot_task.delay(forecast_question.pk).get() == 0
    assert extensions.call_count == 0
