"""The unsubscribe link in every e-mail works without logging in."""

from datetime import timedelta

import pytest
from django.core import signing

from forecasts.models import NotificationSettings
from forecasts.notifications.selectors import notification_settings
from forecasts.notifications.tokens import unsubscribe_token
from tests.notifications.conftest import T0, forecast

pytestmark = pytest.mark.core


def link_path(message) -> str:
    link = message.extra_headers["List-Unsubscribe"].strip("<>")
    return link.removeprefix("http://127.0.0.1:8000")


@pytest.fixture
def emailed(question_at_t0, clock, resolve, mailoutbox):
    """Return a forecaster and the e-mail that told them of a resolution."""
    ann = forecast(question_at_t0, 0.72)
    clock.set(T0 + timedelta(days=2))
    resolve(question_at_t0, outcome=1)
    (message,) = mailoutbox
    mailoutbox.clear()
    return ann, message


def test_the_link_asks_to_confirm_and_changes_nothing_on_get(client, emailed):
    ann, message = emailed

    response = client.get(link_path(message))

    assert response.status_code == 200
    assert b'id="unsubscribe-submit"' in response.content
    assert not NotificationSettings.objects.exists()


def test_confirming_stops_later_emails(
    client, emailed, question_at_t0, clock, resolve, mailoutbox
):
    ann, message = emailed

    response = client.post(link_path(message))

    assert response.status_code == 200
    assert b"gets no more e-mails" in response.content
    chosen = notification_settings(ann)
    assert (chosen.resolution_emails, chosen.reminder_emails) == (False, False)
    resolve(question_at_t0, outcome=0, re_resolve=True, note="Misread.")
    assert mailoutbox == []


def test_a_mail_clients_one_click_post_unsubscribes(client, emailed):
    ann, message = emailed

    response = client.post(
        link_path(message),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert notification_settings(ann).resolution_emails is False


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_forged_or_damaged_token_is_refused_and_changes_nothing(client, user, method):
    good = unsubscribe_token(user)
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    for token in (forged, "not-a-token", str(user.pk)):
        url = f"/notifications/unsubscribe/{token}/"
        response = getattr(client, method)(url)
        assert response.status_code == 400
        assert b"Link not valid" in response.content
    assert not NotificationSettings.objects.exists()


def test_a_token_signed_for_another_purpose_is_refused(client, user):
    token = signing.dumps(user.pk)  # the right payload, the wrong salt

    response = client.post(f"/notifications/unsubscribe/{token}/")

    assert response.status_code == 400
    assert not NotificationSettings.objects.exists()
