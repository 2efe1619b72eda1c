"""Usernames are public; whether an e-mail address has an account never shows.

Sign-up (form and API) and password reset answer a known address exactly as
an unknown one.
"""

from django.core import mail
from django.urls import reverse

from accounts.models import User
from accounts.services import delete_account
from tests.factories import UserFactory

KNOWN = "known@example.com"
UNKNOWN = "nobody@example.com"


def form_sign_up(client, username: str, email: str):
    password = "a long new passphrase"
    return client.post(
        reverse("signup"),
        {
            "username": username,
            "email": email,
            "password1": password,
            "password2": password,
        },
    )


def test_the_sign_up_form_answers_a_known_address_as_a_new_one(client, db):
    UserFactory(email=KNOWN)
    known = form_sign_up(client, "first", KNOWN)
    client.logout()
    unknown = form_sign_up(client, "second", UNKNOWN)
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.status_code == 302
    assert User.objects.filter(email=KNOWN).count() == 2


def api_sign_up(client, username: str, email: str):
    return client.post(
        "/api/auth/signup/",
        {"username": username, "password": "fresh pass 31", "email": email},
        content_type="application/json",
    )


def test_the_signup_api_answers_a_known_address_as_a_new_one(client, db):
    UserFactory(email=KNOWN)
    known = api_sign_up(client, "first", KNOWN)
    unknown = api_sign_up(client, "second", UNKNOWN)
    assert (known.status_code, known.json()) == (201, {"username": "first"})
    assert (unknown.status_code, unknown.json()) == (201, {"username": "second"})
    assert sorted(known.headers) == sorted(unknown.headers)


def reset(client, email: str):
    return client.post(reverse("password_reset"), {"email": email}, follow=True)


def test_password_reset_answers_a_known_address_as_an_unknown_one(
    client, db, django_capture_on_commit_callbacks
):
    UserFactory(email=KNOWN)
    # The mail goes from a task queued on commit, after the answer is made.
    with django_capture_on_commit_callbacks(execute=True):
        known, unknown = reset(client, KNOWN), reset(client, UNKNOWN)
    assert known.redirect_chain == unknown.redirect_chain
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert "If an account uses that address" in known.content.decode()
    # The difference is only in the mailbox of the address's owner.
    assert [m.to for m in mail.outbox] == [[KNOWN]]


def test_a_deleted_accounts_address_gets_no_reset_mail(
    client, db, django_capture_on_commit_callbacks
):
    delete_account(user=UserFactory(email=KNOWN))
    with django_capture_on_commit_callbacks(execute=True):
        assert reset(client, KNOWN).status_code == 200
    assert mail.outbox == []


def test_a_taken_username_is_said_to_be_taken(client, db):
    # Usernames are public (profiles, leaderboards): saying so leaks nothing.
    UserFactory(username="taken")
    response = form_sign_up(client, "taken", UNKNOWN)
    assert response.status_code == 400
    assert "A user with that username already exists." in response.content.decode()
