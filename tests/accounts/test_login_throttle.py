"""The log-in form refuses an address with 429 after THROTTLE_LOGIN_RATE failures."""

import pytest
from django.urls import reverse

from forecasts.api.throttles import SafeRateThrottle

PASSWORD = "correct horse 42"


@pytest.fixture
def rate(monkeypatch):
    """Allow three failures a minute; the view reads the variable per request."""
    monkeypatch.setenv("THROTTLE_LOGIN_RATE", "3/min")


def log_in(client, username, password, address="10.0.0.1"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_failures_get_400_until_the_rate_then_429(client, user, rate):
    codes = [log_in(client, user.username, "guess").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    throttled = log_in(client, user.username, "guess")
    assert "Too many failed log-ins from your address" in throttled.content.decode()
    assert 0 < int(throttled.headers["Retry-After"]) <= 60


def test_once_throttled_the_right_password_is_refused_too(client, user, rate):
    for _ in range(3):
        log_in(client, user.username, "guess")
    assert log_in(client, user.username, PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_successful_log_ins_are_not_counted(client, user, rate):
    for _ in range(5):
        assert log_in(client, user.username, PASSWORD).status_code == 302
        client.logout()
    assert log_in(client, user.username, "guess").status_code == 400


def test_failures_are_counted_per_address(client, user, rate):
    for _ in range(3):
        log_in(client, user.username, "guess", address="10.0.0.1")
    assert log_in(client, user.username, "guess", "10.0.0.1").status_code == 429
    assert log_in(client, user.username, PASSWORD, "10.0.0.2").status_code == 302


def test_x_forwarded_for_cannot_dodge_the_limit(client, user, rate):
    for i in range(4):
        response = client.post(
            reverse("login"),
            {"username": user.username, "password": "guess"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.{i}",
        )
    assert response.status_code == 429


def test_the_default_rate_is_ten_a_minute(client, user, monkeypatch):
    monkeypatch.delenv("THROTTLE_LOGIN_RATE", raising=False)
    codes = [log_in(client, user.username, "guess").status_code for _ in range(11)]
    assert codes == [400] * 10 + [429]


def test_a_changed_rate_applies_without_a_restart(client, user, monkeypatch):
    monkeypatch.setenv("THROTTLE_LOGIN_RATE", "1/min")
    log_in(client, user.username, "guess")
    assert log_in(client, user.username, "guess").status_code == 429
    monkeypatch.setenv("THROTTLE_LOGIN_RATE", "5/min")
    assert log_in(client, user.username, "guess").status_code == 400


class BrokenCache:
    def get(self, *args, **kwargs):
        raise ConnectionError("cache is down")

    set = get


def test_with_the_cache_down_log_ins_go_through(client, user, rate, monkeypatch):
    monkeypatch.setattr(SafeRateThrottle, "cache", BrokenCache())
    codes = [log_in(client, user.username, "guess").status_code for _ in range(5)]
    assert codes == [400] * 5
    assert log_in(client, user.username, PASSWORD).status_code == 302


def test_failures_through_the_api_count_against_the_form(client, user, rate):
    bad = {"username": user.username, "password": "guess"}
    for _ in range(2):
        api = client.post(
            "/api/auth/token/",
            bad,
            content_type="application/json",
            REMOTE_ADDR="10.0.0.1",
        )
        assert api.status_code == 400
    assert log_in(client, user.username, "guess").status_code == 400
    # Three failures at 3/min, two of them through the API: the form refuses.
    assert log_in(client, user.username, PASSWORD).status_code == 429
