"""Django's password validators refuse weak passwords on the form and the API."""

import pytest
from django.urls import reverse

from accounts.models import User

WEAK = {
    "password": "This password is too common.",
    "12345678": "This password is entirely numeric.",
    "pw": "This password is too short. It must contain at least 8 characters.",
    "newcomer1": "The password is too similar to the username.",
}


@pytest.mark.parametrize("password, message", WEAK.items())
def test_the_sign_up_form_refuses_a_weak_password(client, db, password, message):
    response = client.post(
        reverse("signup"),
        {
            "username": "newcomer",
            "email": "new@example.com",
            "password1": password,
            "password2": password,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not User.objects.exists()


@pytest.mark.parametrize("password, message", WEAK.items())
def test_the_signup_api_refuses_a_weak_password(client, db, password, message):
    response = client.post(
        "/api/auth/signup/",
        {"username": "newcomer", "password": password},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert message in response.json()["password"]
    assert not User.objects.exists()


def test_password_change_applies_the_validators_too(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct horse 42",
            "new_password1": "12345678",
            "new_password2": "12345678",
        },
    )
    assert response.status_code == 400
    assert "This password is entirely numeric." in response.content.decode()
    user.refresh_from_db()
    assert user.check_password("correct horse 42")
