"""Sign up, log in and out, and change or reset a password."""

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct horse 42"


def test_sign_up_logs_in_and_returns_to_the_question(client, binary_question):
    question_url = reverse("forecasts:question", args=[binary_question.slug])
    response = client.post(
        reverse("signup"),
        {
            "username": "newcomer",
            "email": "new@example.com",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
            "next": question_url,
        },
    )
    assert response.status_code == 302 and response.url == question_url
    html = client.get(question_url).content.decode()
    assert 'id="forecast-form"' in html and "newcomer" in html
    assert get_user_model().objects.get(username="newcomer").email


def test_sign_up_errors_show_next_to_the_fields(client, db):
    UserFactory(username="taken")
    response = client.post(
        reverse("signup"),
        {"username": "taken", "email": "", "password1": "123", "password2": "124"},
    )
    html = response.content.decode()
    assert html.count('class="errorlist') >= 3
    assert "A user with that username already exists." in html
    assert "The two password fields didn’t match." in html
    assert 'value="taken"' in html


def test_sign_up_never_redirects_off_site(client, db):
    response = client.post(
        reverse("signup"),
        {
            "username": "someone",
            "email": "s@example.com",
            "password1": "a long new passphrase",
            "password2": "a long new passphrase",
            "next": "https://evil.example.com/",
        },
    )
    assert response.url == "/"


def test_log_in_and_out(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert f">{user.username}</a>" in client.get("/").content.decode()
    client.post(reverse("logout"))
    assert 'id="nav-login"' in client.get("/").content.decode()


def test_wrong_password_is_refused(client, user):
    response = client.post(
        reverse("login"), {"username": user.username, "password": "wrong"}
    )
    assert "Please enter a correct username and password" in response.content.decode()


def test_password_change(client, user):
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another long phrase",
            "new_password2": "another long phrase",
        },
    )
    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("another long phrase")


def test_password_reset_by_e_mail(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": user.email})
    (message,) = mail.outbox
    assert "Reset your Forecast Ledger password" in message.subject
    link = re.search(r"http://testserver(/accounts/reset/\S+)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session one
    response = client.post(
        form_url,
        {"new_password1": "a brand new phrase", "new_password2": "a brand new phrase"},
    )
    assert response.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("a brand new phrase")


def test_account_pages_use_the_site_layout(client, db):
    for name in ("login", "signup", "password_reset"):
        html = client.get(reverse(name)).content.decode()
        assert "Forecast Ledger</a>" in html and "django-admin" not in html, name
