"""Reminders of standing forecasts over 30 days old on questions still open."""

from datetime import timedelta

import pytest

from forecasts.notifications.services import save_notification_settings
from forecasts.tasks import send_reminders_task
from tests.factories import QuestionFactory
from tests.notifications.conftest import T0, forecast

pytestmark = pytest.mark.core


@pytest.fixture
def questions(db, clock):
    """Return two questions open from T0: one closes at 40 days, one at 90."""
    clock.set(T0 - timedelta(hours=1))
    early, late = (
        QuestionFactory(open_time=T0, close_time=T0 + timedelta(days=days))
        for days in (40, 90)
    )
    clock.set(T0)
    return early, late


def remind_on(clock, day: float) -> int:
    clock.set(T0 + timedelta(days=day))
    return send_reminders_task.delay().get()


def test_a_forecast_over_30_days_old_is_reminded_of_once(questions, clock, mailoutbox):
    early, _ = questions
    ann = forecast(early, 0.72)

    assert remind_on(clock, 29.9) == 0
    assert remind_on(clock, 30.1) == 1
    assert remind_on(clock, 31) == 0

    (message,) = mailoutbox
    assert message.to == [ann.email]
    assert message.subject == f"Still 72% Yes? {early.title}"
    assert "forecast 2025-03-01; closes 2025-04-10 00:00 UTC" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"]


def test_a_closed_or_resolved_question_gets_no_reminder(
    questions, clock, resolve, mailoutbox
):
    early, late = questions
    ann = forecast(early, 0.72)
    forecast(late, 0.4, user=ann)
    clock.set(T0 + timedelta(days=35))
    resolve(late, outcome=1)
    mailoutbox.clear()

    assert remind_on(clock, 41) == 0  # early has closed, late is resolved
    assert mailoutbox == []


def test_several_stale_forecasts_come_in_one_email(questions, clock, mailoutbox):
    early, late = questions
    ann = forecast(early, 0.72)
    forecast(late, 0.4, user=ann)

    assert remind_on(clock, 31) == 1

    (message,) = mailoutbox
    assert message.subject == "2 of your forecasts are over 30 days old"
    assert early.title in message.body and late.title in message.body


def test_a_new_forecast_is_reminded_of_again_30_days_later(
    questions, clock, mailoutbox
):
    _, late = questions
    ann = forecast(late, 0.72)
    assert remind_on(clock, 31) == 1
    forecast(late, 0.6, user=ann)

    assert remind_on(clock, 60) == 0
    assert remind_on(clock, 61.1) == 1
    assert "Still 60% Yes?" in mailoutbox[-1].subject


def test_a_user_who_opted_out_gets_no_reminder(questions, clock, mailoutbox):
    early, _ = questions
    ann = forecast(early, 0.72)
    save_notification_settings(user=ann, resolution_emails=True, reminder_emails=False)

    assert remind_on(clock, 31) == 0
    assert mailoutbox == []
