"""Sign-up and API tokens: POST /api/auth/signup/, POST|DELETE /api/auth/token/."""

import os
import subprocess
import sys

import pytest
from django.core import mail
from rest_framework.authtoken.models import Token

from accounts.models import User
from tests.api.conftest import client_for, row_counts
from tests.factories import UserFactory

SIGNUP = "/api/auth/signup/"
TOKEN = "/api/auth/token/"
FORECASTS = "/api/questions/{}/forecasts/"
PASSWORD = "correct horse 42"


def signup(client, **body):
    return client.post(SIGNUP, body, format="json")


def test_signup_creates_an_account_that_can_get_a_token(db, anon):
    response = signup(anon, username="ada", password="analytical engine")
    assert response.status_code == 201
    assert response.json() == {"username": "ada"}
    token = anon.post(
        TOKEN, {"username": "ada", "password": "analytical engine"}, format="json"
    )
    assert token.status_code == 200
    assert token.json()["token"] == Token.objects.get(user__username="ada").key


def test_signup_applies_django_password_validators(db, anon):
    response = signup(anon, username="bob", password="12345678")
    assert response.status_code == 400
    messages = response.json()["password"]
    assert "This password is too common." in messages
    assert "This password is entirely numeric." in messages
    assert not User.objects.filter(username="bob").exists()


def test_signup_refuses_a_password_like_the_username(db, anon):
    response = signup(anon, username="margaret", password="margaret1")
    assert response.status_code == 400
    assert "too similar" in response.json()["password"][0]


def test_a_taken_username_is_said_to_be_taken(db, anon, user):
    response = signup(anon, username=user.username, password="fresh pass 31")
    assert response.status_code == 400
    assert response.json() == {
        "username": ["A user with that username already exists."]
    }


def test_signup_with_an_email_in_use_answers_as_for_a_new_one(db, anon, user):
    taken = signup(anon, username="c1", password="fresh pass 31", email=user.email)
    fresh = signup(anon, username="c2", password="fresh pass 31", email="n@ex.org")
    assert (taken.status_code, taken.json()) == (201, {"username": "c1"})
    assert (fresh.status_code, fresh.json()) == (201, {"username": "c2"})
    assert taken.headers.keys() == fresh.headers.keys()
    assert mail.outbox == []


def test_email_addresses_are_never_shown(db, anon, user, user_api, binary_question):
    user_api.post(
        FORECASTS.format(binary_question.slug), {"probability": 0.3}, format="json"
    )
    for url in (
        "/api/questions/",
        f"/api/users/{user.username}/scores/",
        FORECASTS.format(binary_question.slug),
    ):
        assert user.email not in user_api.get(url).content.decode()


@pytest.mark.parametrize(
    "body, field",
    [
        ({"username": "a b", "password": "fresh pass 31"}, "username"),
        ({"username": 7, "password": "fresh pass 31"}, "username"),
        ({"username": "d", "password": "fresh pass 31", "email": "nope"}, "email"),
        ({"username": "d", "password": "fresh pass 31", "is_staff": True}, "is_staff"),
        ({"password": "fresh pass 31"}, "username"),
    ],
)
def test_bad_signups_name_the_field_and_create_nobody(db, anon, body, field):
    before = row_counts()
    response = anon.post(SIGNUP, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert row_counts() == before


def test_wrong_password_gets_400_and_no_token(db, anon, user):
    response = anon.post(
        TOKEN, {"username": user.username, "password": "wrong"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Wrong username or password."]}
    assert not Token.objects.exists()


def test_an_inactive_user_gets_no_token(db, anon):
    idle = UserFactory(is_active=False)
    response = anon.post(
        TOKEN, {"username": idle.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400


def test_revoking_a_token_stops_it_and_a_new_one_can_be_had(db, user):
    client = client_for(user)
    old = Token.objects.get(user=user).key
    assert client.delete(TOKEN).status_code == 204
    assert client.get(FORECASTS.format("any")).status_code == 401
    again = client_for(None).post(
        TOKEN, {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert again.status_code == 200 and again.json()["token"] != old


def test_revoking_needs_a_login(db, anon):
    assert anon.delete(TOKEN).status_code == 401


def test_a_bad_token_is_refused_even_on_a_public_read(db, anon):
    anon.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert anon.get("/api/questions/").status_code == 401


def test_token_endpoint_throttles_failed_attempts_only(db, anon, user, settings):
    rates = {"signup": "100/hour", "token": "3/min", "forecast": "100/min"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    good = {"username": user.username, "password": PASSWORD}
    bad = {"username": user.username, "password": "guess"}
    for _ in range(5):
        assert anon.post(TOKEN, good, format="json").status_code == 200
    codes = [anon.post(TOKEN, bad, format="json").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    # Once throttled, the right password is refused too: guessing must stop.
    throttled = anon.post(TOKEN, good, format="json")
    assert throttled.status_code == 429
    assert int(throttled.headers["Retry-After"]) > 0


def test_failed_attempts_are_counted_per_address(db, anon, user, settings):
    rates = {"signup": "100/hour", "token": "1/min", "forecast": "100/min"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    bad = {"username": user.username, "password": "guess"}
    assert (
        anon.post(TOKEN, bad, format="json", REMOTE_ADDR="10.0.0.1").status_code == 400
    )
    assert (
        anon.post(TOKEN, bad, format="json", REMOTE_ADDR="10.0.0.1").status_code == 429
    )
    assert (
        anon.post(TOKEN, bad, format="json", REMOTE_ADDR="10.0.0.2").status_code == 400
    )


def test_signup_is_throttled_per_address(db, anon, settings):
    rates = {"signup": "2/hour", "token": "10/min", "forecast": "100/min"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    codes = [
        signup(anon, username=f"n{i}", password="fresh pass 31").status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]
    assert not User.objects.filter(username="n2").exists()
    # X-Forwarded-For is ignored without NUM_PROXIES: it cannot dodge the limit.
    dodge = anon.post(
        SIGNUP,
        {"username": "n3", "password": "fresh pass 31"},
        format="json",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert dodge.status_code == 429


class BrokenCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("cache is down")

    set = get


def test_a_throttle_whose_cache_is_down_lets_requests_through(
    db, anon, user, monkeypatch, settings
):
    from forecasts.api.throttles import SafeRateThrottle

    monkeypatch.setattr(SafeRateThrottle, "cache", BrokenCache())
    rates = {"signup": "1/hour", "token": "1/min", "forecast": "1/min"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    for i in range(3):
        assert (
            signup(anon, username=f"z{i}", password="fresh pass 31").status_code == 201
        )
    bad = {"username": user.username, "password": "guess"}
    assert [anon.post(TOKEN, bad, format="json").status_code for _ in range(3)] == [
        400
    ] * 3


def test_throttle_rates_are_read_from_the_environment():
    env = {
        **os.environ,
        "THROTTLE_SIGNUP_RATE": "7/day",
        "THROTTLE_TOKEN_RATE": "8/hour",
        "THROTTLE_FORECAST_RATE": "9/sec",
        "THROTTLE_PASSWORD_RESET_RATE": "6/min",
        "THROTTLE_COMMENT_RATE": "3/min",
        "THROTTLE_PROPOSAL_RATE": "2/day",
    }
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(sorted(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES'].items()))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True
    )
    assert out.stdout.strip() == (
        "[('comment', '3/min'), ('forecast', '9/sec'), ('password_reset', '6/min'), "
        "('proposal', '2/day'), ('signup', '7/day'), ('token', '8/hour')]"
    )
