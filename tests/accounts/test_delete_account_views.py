"""Deleting your account: a page linked from the profile, and DELETE /api/auth/account/.

Both ask for the password, act only on the caller's own account, and count
wrong passwords as failed log-ins.
"""

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import User
from forecasts.services import submit_forecast
from tests.api.conftest import client_for

PASSWORD = "correct horse 42"
PAGE = reverse("delete_account")
API = "/api/auth/account/"


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def deleted(user) -> bool:
    return User.objects.get(pk=user.pk).username == f"deleted-{user.pk}"


def test_the_profile_links_to_the_page_for_its_owner_only(client, user):
    profile = reverse("forecasts:profile", args=[user.username])
    assert PAGE not in client.get(profile).content.decode()
    client.force_login(user)
    assert f'href="{PAGE}"' in client.get(profile).content.decode()


def test_the_page_asks_for_the_password_and_a_get_deletes_nothing(logged_in, user):
    html = logged_in.get(PAGE).content.decode()
    assert 'name="password"' in html and f"deleted-{user.pk}" in html
    assert not deleted(user)


def test_the_right_password_deletes_and_logs_out(logged_in, user):
    response = logged_in.post(PAGE, {"password": PASSWORD}, follow=True)
    assert response.redirect_chain == [("/", 302)]
    assert "Your account is deleted." in response.content.decode()
    assert deleted(user)
    assert "_auth_user_id" not in logged_in.session


def test_a_wrong_password_is_refused_with_400(logged_in, user):
    response = logged_in.post(PAGE, {"password": "guess"})
    assert response.status_code == 400
    assert "Wrong password." in response.content.decode()
    assert not deleted(user)


def test_wrong_passwords_count_as_failed_log_ins(logged_in, user, monkeypatch):
    monkeypatch.setenv("THROTTLE_LOGIN_RATE", "2/min")
    codes = [logged_in.post(PAGE, {"password": "guess"}).status_code for _ in range(3)]
    assert codes == [400, 400, 429]
    assert logged_in.post(PAGE, {"password": PASSWORD}).status_code == 429
    assert not deleted(user)


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    for response in (client.get(PAGE), client.post(PAGE, {"password": PASSWORD})):
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_other_sessions_of_the_deleted_user_end(client, user):
    client.force_login(user)
    other_browser = Client()
    other_browser.force_login(user)
    client.post(PAGE, {"password": PASSWORD})
    profile = reverse("forecasts:profile", args=[f"deleted-{user.pk}"])
    html = other_browser.get(profile).content.decode()
    assert 'id="nav-login"' in html


def test_the_api_deletes_with_the_right_password(user, binary_question):
    submit_forecast(question=binary_question, user=user, probability=0.6)
    api = client_for(user)
    response = api.delete(API, {"password": PASSWORD}, format="json")
    assert response.status_code == 204
    assert deleted(user)
    assert not Token.objects.exists()
    # The token is gone with it.
    forecasts = f"/api/questions/{binary_question.slug}/forecasts/"
    assert api.get(forecasts).status_code == 401
    assert api.delete(API, {"password": PASSWORD}, format="json").status_code == 401


@pytest.mark.parametrize(
    "body, field, message",
    [
        ({"password": "guess"}, "password", "Wrong password."),
        ({}, "password", "This field is required."),
        ({"password": 42}, "password", "Not a valid string."),
        ({"password": PASSWORD, "user": 1}, "user", "Unknown field."),
    ],
)
def test_the_api_refuses_bad_bodies_with_400(user, body, field, message):
    response = client_for(user).delete(API, body, format="json")
    assert response.status_code == 400
    assert response.json()[field] == [message]
    assert not deleted(user)


def test_the_api_needs_a_login(client, db):
    response = client.delete(
        API, {"password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 401


def test_the_api_throttles_wrong_passwords(user, settings):
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "2/min"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    api = client_for(user)
    codes = [
        api.delete(API, {"password": "guess"}, format="json").status_code
        for _ in range(3)
    ]
    assert codes == [400, 400, 429]
    assert api.delete(API, {"password": PASSWORD}, format="json").status_code == 429
    assert not deleted(user)


def test_a_session_needs_the_csrf_token(user):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    response = browser.delete(
        API, {"password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not deleted(user)


def test_signing_up_with_a_deleted_style_name_is_refused(client, db):
    form = client.post(
        reverse("signup"),
        {
            "username": "Deleted-7",
            "email": "x@example.com",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
        },
    )
    assert form.status_code == 400
    assert "are reserved" in form.content.decode()
    api = client.post(
        "/api/auth/signup/",
        {"username": "deleted-7", "password": "a long new passphrase"},
        content_type="application/json",
    )
    assert api.status_code == 400
    assert "are reserved" in api.json()["username"][0]
    assert not User.objects.exists()
