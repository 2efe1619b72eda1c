"""A resolved question e-mails each of its forecasters their score."""

from datetime import timedelta

import pytest

from forecasts.notifications.services import save_notification_settings
from tests.factories import UserFactory
from tests.notifications.conftest import T0, forecast

pytestmark = pytest.mark.core


def body_of(mailoutbox, address) -> str:
    (message,) = [m for m in mailoutbox if m.to == [address]]
    return message.body


def test_each_forecaster_gets_their_own_score(
    question_at_t0, clock, resolve, mailoutbox
):
    ann = forecast(question_at_t0, 0.72, username="ann")
    bob = forecast(question_at_t0, 0.2, username="bob")
    clock.set(T0 + timedelta(days=2))

    resolve(question_at_t0, outcome=1)

    assert sorted(m.to[0] for m in mailoutbox) == [ann.email, bob.email]
    assert mailoutbox[0].subject == f"Resolved Yes: {question_at_t0.title}"
    # Forecast at the opening and never changed: 2·0.28² = 0.1568 both ways.
    ann_body = body_of(mailoutbox, ann.email)
    assert "Your Brier score: 0.157\n" in ann_body
    assert "Your time-averaged Brier score: 0.157\n" in ann_body
    assert "Your last forecast: 72% Yes" in ann_body
    # 0.2 on Yes: 2·0.8² = 1.28.
    assert "Your Brier score: 1.280\n" in body_of(mailoutbox, bob.email)


def test_people_who_did_not_forecast_get_nothing(
    question_at_t0, clock, resolve, mailoutbox
):
    ann = forecast(question_at_t0, 0.72)
    bystander = UserFactory()
    clock.set(T0 + timedelta(days=2))

    resolve(question_at_t0, outcome=1)

    assert [m.to for m in mailoutbox] == [[ann.email]]
    assert bystander.email not in {m.to[0] for m in mailoutbox}


def test_a_forecaster_who_turned_resolution_emails_off_gets_none(
    question_at_t0, clock, resolve, mailoutbox
):
    quiet = forecast(question_at_t0, 0.6)
    save_notification_settings(
        user=quiet, resolution_emails=False, reminder_emails=True
    )
    no_address = forecast(question_at_t0, 0.6, email="")
    clock.set(T0 + timedelta(days=2))

    resolve(question_at_t0, outcome=1)

    assert mailoutbox == []
    assert no_address.email == ""


def test_a_forecast_after_the_outcome_was_known_is_told_it_is_not_scored(
    question_at_t0, clock, resolve, mailoutbox
):
    forecast(question_at_t0, 0.72)
    clock.set(T0 + timedelta(days=3))
    late = forecast(question_at_t0, 0.99)

    resolve(question_at_t0, outcome=1, effective_at=T0 + timedelta(days=2))

    body = body_of(mailoutbox, late.email)
    assert "not scored" in body and "Brier" not in body


def test_a_re_resolution_sends_a_new_email_with_the_new_score(
    question_at_t0, clock, resolve, mailoutbox
):
    ann = forecast(question_at_t0, 0.72)
    clock.set(T0 + timedelta(days=2))
    resolve(question_at_t0, outcome=1)

    resolve(question_at_t0, outcome=0, re_resolve=True, note="Misread the source.")

    assert [m.subject.split(":")[0] for m in mailoutbox] == [
        "Resolved Yes",
        "Re-resolved No",
    ]
    # 0.72 on Yes when No happens: 2·0.72² = 1.0368.
    body = mailoutbox[1].body
    assert "Your Brier score: 1.037\n" in body
    assert "Note: Misread the source." in body
    assert mailoutbox[1].to == [ann.email]


def test_every_email_has_a_one_click_unsubscribe_link(
    question_at_t0, clock, resolve, mailoutbox
):
    forecast(question_at_t0, 0.72)
    clock.set(T0 + timedelta(days=2))

    resolve(question_at_t0, outcome=1)

    (message,) = mailoutbox
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://127.0.0.1:8000/notifications/unsubscribe/")
    assert message.extra_headers["List-Unsubscribe-Post"] == (
        "List-Unsubscribe=One-Click"
    )
    assert f"Unsubscribe: {link}\n" in message.body
