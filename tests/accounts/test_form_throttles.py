"""The site's sign-up, forecast and password-reset forms are throttled as the API.

Same THROTTLE_* rates and the same counts: what the API lets through, the
form does not add to. A throttled form answers 429.
"""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from forecasts.models import Entry
from tests.api.conftest import client_for
from tests.factories import UserFactory

PASSWORD = "a long new passphrase"
RESET = reverse("password_reset")


@pytest.fixture
def rates(settings):
    def set_rates(**changed):
        rates = {
            "signup": "100/hour",
            "token": "100/min",
            "forecast": "100/min",
            "password_reset": "5/hour",
            **changed,
        }
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": rates,
        }

    return set_rates


def sign_up(client, name: str):
    fields = {"username": name, "email": f"{name}@example.com", "password1": PASSWORD}
    return client.post(reverse("signup"), {**fields, "password2": PASSWORD})


def test_the_sign_up_form_answers_429_past_the_signup_rate(client, db, rates):
    rates(signup="3/hour")
    codes = [sign_up(client, f"n{i}").status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
    assert not User.objects.filter(username="n3").exists()


def test_sign_ups_through_the_api_count_against_the_form(client, db, rates):
    rates(signup="2/hour")
    for i in range(2):
        body = {"username": f"api{i}", "password": PASSWORD}
        response = client.post(
            "/api/auth/signup/", body, content_type="application/json"
        )
        assert response.status_code == 201
    refused = sign_up(client, "form0")
    assert refused.status_code == 429
    assert "Too many sign-ups" in refused.content.decode()


def forecast(client, question, percent: str):
    url = reverse("forecasts:question", args=[question.slug])
    return client.post(url, {"probability": percent})


def test_the_forecast_form_answers_429_past_the_forecast_rate(
    client, user, binary_question, rates
):
    rates(forecast="4/min")
    client.force_login(user)
    codes = [forecast(client, binary_question, "40").status_code for _ in range(5)]
    assert codes == [302, 302, 302, 302, 429]
    assert Entry.objects.filter(question=binary_question).count() == 4


def test_api_forecasts_count_against_the_form(client, user, binary_question, rates):
    rates(forecast="2/min")
    api = client_for(user)
    url = f"/api/questions/{binary_question.slug}/forecasts/"
    for _ in range(2):
        assert api.post(url, {"probability": 0.3}, format="json").status_code == 201
    client.force_login(user)
    assert forecast(client, binary_question, "40").status_code == 429
    assert Entry.objects.filter(question=binary_question).count() == 2


def reset(client, email: str, address: str = "10.0.0.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=address)


def test_the_reset_form_answers_429_past_the_rate_per_address(
    client, db, rates, django_capture_on_commit_callbacks
):
    rates(password_reset="3/hour")
    with django_capture_on_commit_callbacks(execute=True):
        codes = [reset(client, f"u{i}@example.com").status_code for i in range(4)]
    assert codes == [302, 302, 302, 429]
    assert (
        "Too many password reset requests" in reset(client, "x@y.org").content.decode()
    )


def test_forty_reset_requests_send_at_most_five_mails(
    client, db, django_capture_on_commit_callbacks
):
    # The default rate, 5/hour, per e-mail address whatever the client address.
    UserFactory(email="victim@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        codes = [
            reset(client, "victim@example.com", f"10.0.{i // 4}.{i}").status_code
            for i in range(40)
        ]
    assert codes.count(302) == 5 and codes.count(429) == 35
    assert len(mail.outbox) == 5
    assert {tuple(m.to) for m in mail.outbox} == {("victim@example.com",)}


def test_the_email_limit_ignores_case_and_spaces(client, db, rates):
    rates(password_reset="2/hour")
    spellings = ["Victim@Example.com", " victim@example.com ", "VICTIM@EXAMPLE.COM"]
    codes = [
        reset(client, s, f"10.1.0.{i}").status_code for i, s in enumerate(spellings)
    ]
    assert codes == [302, 302, 429]


def test_the_reset_mail_goes_through_a_task_after_commit(
    client, db, django_capture_on_commit_callbacks
):
    UserFactory(email="known@example.com")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = reset(client, "known@example.com")
    # Answered before any mail is sent: the reply cannot depend on the address.
    assert response.status_code == 302 and mail.outbox == []
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["known@example.com"]]
