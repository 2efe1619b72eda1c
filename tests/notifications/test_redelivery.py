"""A resolution notifies each forecaster at most once, however often it is run."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.mail.backends.locmem import EmailBackend

from forecasts.models import Notification
from forecasts.notifications.services import (
    notify_resolution,
    resolution_claims,
    send_claimed,
)
from forecasts.tasks import notify_resolution_task, score_resolution_task
from tests.notifications.conftest import T0, forecast

pytestmark = pytest.mark.core


@pytest.fixture
def resolved(question_at_t0, clock, resolve, mailoutbox):
    """Return the resolution of a question two people forecast, e-mailed once."""
    for probability in (0.72, 0.3):
        forecast(question_at_t0, probability)
    clock.set(T0 + timedelta(days=2))
    event = resolve(question_at_t0, outcome=1)
    assert len(mailoutbox) == 2
    return event


def test_running_the_notification_task_again_sends_nothing(resolved, mailoutbox):
    assert notify_resolution_task.delay(resolved.pk).get() == 0
    assert notify_resolution_task.delay(resolved.pk).get() == 0
    assert len(mailoutbox) == 2


def test_a_redelivered_scoring_task_sends_nothing(
    resolved, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert score_resolution_task.delay(resolved.pk).get() is False
    assert callbacks == []
    assert len(mailoutbox) == 2


@pytest.fixture
def unnotified(question_at_t0, clock, resolve):
    """Return a scored resolution whose notification task has not run yet."""
    for probability in (0.72, 0.3):
        forecast(question_at_t0, probability)
    clock.set(T0 + timedelta(days=2))
    task = notify_resolution_task._get_current_object()
    with mock.patch.object(task, "delay"):
        return resolve(question_at_t0, outcome=1)


def test_an_email_claimed_by_a_run_that_died_before_sending_is_never_sent(
    unnotified, mailoutbox
):
    crash = SystemExit("worker killed")
    with (
        mock.patch.object(EmailBackend, "send_messages", side_effect=crash),
        pytest.raises(SystemExit),
    ):
        notify_resolution(resolution_id=unnotified.pk)
    # The first forecaster's claim was committed, then the process died.
    (claim,) = Notification.objects.all()
    assert claim.sent_at is None

    assert notify_resolution_task.delay(unnotified.pk).get() == 1

    (message,) = mailoutbox
    assert message.to != [claim.user.email]
    assert Notification.objects.filter(sent_at__isnull=True).get() == claim


def test_a_mail_server_down_before_any_claim_loses_nothing(unnotified, mailoutbox):
    refused = ConnectionRefusedError("mail server down")
    with (
        mock.patch.object(EmailBackend, "open", side_effect=refused),
        pytest.raises(ConnectionRefusedError),
    ):
        notify_resolution(resolution_id=unnotified.pk)
    assert not Notification.objects.exists()

    assert notify_resolution_task.delay(unnotified.pk).get() == 2

    assert len(mailoutbox) == 2
    assert not Notification.objects.filter(sent_at__isnull=True).exists()


def test_a_run_racing_another_sends_nothing_the_other_claimed(unnotified, mailoutbox):
    # Both runs read the recipients before either has claimed anything.
    racing = resolution_claims(unnotified)
    assert len(racing) == 2

    assert notify_resolution(resolution_id=unnotified.pk) == 2

    assert send_claimed(racing) == 0
    assert len(mailoutbox) == 2
