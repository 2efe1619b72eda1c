"""The e-mail settings page: two checkboxes, for the logged-in user only."""

import pytest

from forecasts.notifications.selectors import notification_settings

pytestmark = pytest.mark.core

URL = "/notifications/settings/"


def test_the_page_needs_a_login(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_both_emails_start_ticked(client, user):
    client.force_login(user)

    response = client.get(URL)

    assert response.status_code == 200
    # The settings form's boxes (the page's header has the phone menu's too).
    form = response.content.split(b"<main")[1]
    assert form.count(b'type="checkbox"') == 2
    assert response.content.count(b"checked") == 2
    assert user.email.encode() in response.content


def test_unticking_both_saves_both_off(client, user):
    client.force_login(user)

    response = client.post(URL, {}, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert b"E-mail settings saved." in response.content
    assert b"checked" not in response.content
    chosen = notification_settings(user)
    assert (chosen.resolution_emails, chosen.reminder_emails) == (False, False)


def test_ticking_one_keeps_the_other_off(client, user):
    client.force_login(user)

    client.post(URL, {"reminder_emails": "on"})

    chosen = notification_settings(user)
    assert (chosen.resolution_emails, chosen.reminder_emails) == (False, True)


def test_one_users_choice_leaves_another_untouched(client, user, staff):
    client.force_login(user)

    client.post(URL, {})

    assert notification_settings(staff).resolution_emails is True


def test_every_page_links_a_logged_in_user_to_the_settings(client, user):
    client.force_login(user)

    response = client.get("/")

    assert f'href="{URL}"'.encode() in response.content
