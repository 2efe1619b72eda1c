"""A wrong old password on the password-change form counts as a failed log-in."""

import pytest
from django.urls import reverse

PASSWORD = "correct horse 42"
NEW = "a brand new passphrase 7"


@pytest.fixture
def logged_in(client, user, monkeypatch):
    monkeypatch.setenv("THROTTLE_LOGIN_RATE", "3/min")
    client.force_login(user)
    return client


def change(client, old, new=NEW):
    return client.post(
        reverse("password_change"),
        {"old_password": old, "new_password1": new, "new_password2": new},
        REMOTE_ADDR="10.0.0.7",
    )


def test_wrong_old_passwords_are_throttled_like_log_ins(logged_in, user):
    codes = [change(logged_in, "guess").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    # Once throttled, the right old password is refused too, and nothing changes.
    assert change(logged_in, PASSWORD).status_code == 429
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_a_weak_new_password_is_not_counted(logged_in, user):
    for _ in range(4):
        assert change(logged_in, PASSWORD, new="123").status_code == 400
    assert change(logged_in, PASSWORD).status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW)
