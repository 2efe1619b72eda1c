"""An annulled question tells its forecasters so, with no score."""

from datetime import timedelta

import pytest

from tests.notifications.conftest import T0, forecast

pytestmark = pytest.mark.core


def test_an_annulled_question_emails_that_it_was_annulled(
    question_at_t0, clock, resolve, mailoutbox
):
    ann = forecast(question_at_t0, 0.72)
    clock.set(T0 + timedelta(days=2))

    resolve(question_at_t0, annulled=True, note="The source was retracted.")

    (message,) = mailoutbox
    assert message.to == [ann.email]
    assert message.subject == f"Annulled: {question_at_t0.title}"
    assert "was annulled" in message.body
    assert "Note: The source was retracted." in message.body
    assert "Brier" not in message.body
