"""Forecasting: POST and GET /api/questions/{slug}/forecasts/."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework import serializers

from forecasts.api.serializers import EntryOutput
from forecasts.ledger import GENESIS_HASH
from forecasts.models import Entry
from forecasts.services import resolve_question, submit_forecast
from tests.api.conftest import client_for, post_json, row_counts
from tests.factories import QuestionFactory, UserFactory


def url(question) -> str:
    return f"/api/questions/{question.slug}/forecasts/"


def test_a_binary_forecast_returns_the_entry(db, user, user_api, binary_question):
    response = user_api.post(
        url(binary_question),
        {"probability": 0.72, "rationale": "Reuters says May."},
        format="json",
    )
    assert response.status_code == 201
    data = response.json()
    assert data["probabilities"] == [0.28, 0.72] and data["probability"] == 0.72
    assert (data["username"], data["user_id"]) == (user.username, user.pk)
    assert (data["sequence"], data["previous_hash"]) == (1, GENESIS_HASH)
    assert data["question"] == binary_question.slug
    assert data["rationale"] == "Reuters says May."
    # ISO 8601 in UTC, always with microseconds.
    assert len(data["created_at"]) == len("2025-03-01T12:00:00.000000Z")
    assert data["created_at"].endswith("Z")


def test_the_returned_hash_is_the_readme_recipe(db, user, user_api, binary_question):
    data = user_api.post(
        url(binary_question), {"probability": 0.72}, format="json"
    ).json()
    payload = {
        "question": binary_question.slug,
        "sequence": 1,
        "user": user.pk,
        "probabilities": ["0.2800", "0.7200"],
        "rationale": "",
        "created_at": data["created_at"],
        "prev_hash": GENESIS_HASH,
        "salt": data["salt"],  # the author is shown their entry's salt
    }
    text = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    assert data["hash"] == hashlib.sha256(text.encode()).hexdigest()


def test_a_multiple_choice_forecast_takes_a_vector(db, user_api, mc_question):
    response = user_api.post(
        url(mc_question), {"probabilities": [0.2, 0.5, 0.3]}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["probabilities"] == [0.2, 0.5, 0.3]
    assert response.json()["probability"] is None


def test_an_entry_shows_each_declared_field_as_drf_would(
    db, user, binary_question, mc_question
):
    entries = [
        submit_forecast(question=binary_question, user=user, probability=0.72),
        submit_forecast(question=mc_question, user=user, probabilities=[0.2, 0.5, 0.3]),
    ]
    for entry in entries:
        # The base class fills each declared field in turn, as the schema says.
        declared = serializers.Serializer.to_representation(EntryOutput(), entry)
        shown = EntryOutput(entry).data
        assert list(shown) == list(declared) and shown == declared


def test_the_list_shows_only_my_own_entries_oldest_first(
    db, user, user_api, binary_question
):
    submit_forecast(
        question=binary_question, user=UserFactory(), probability=0.9, rationale="s"
    )
    for p in (0.3, 0.4):
        submit_forecast(question=binary_question, user=user, probability=p)
    data = user_api.get(url(binary_question)).json()
    assert data["count"] == 2
    assert [e["probability"] for e in data["results"]] == [0.3, 0.4]
    assert [e["sequence"] for e in data["results"]] == [2, 3]


@pytest.mark.parametrize(
    "body, field, message",
    [
        ('{"probability": 1.0}', "probability", "Must be between 0.001 and 0.999."),
        ('{"probability": 0}', "probability", "Must be between 0.001 and 0.999."),
        ('{"probability": 0.0005}', "probability", "Must be between 0.001 and 0.999."),
        ('{"probability": 0.99995}', "probability", "Use at most 4 decimal places"),
        ('{"probability": 0.12345}', "probability", "Use at most 4 decimal places"),
        ('{"probability": "0.5"}', "probability", "Enter a number."),
        ('{"probability": true}', "probability", "Enter a number."),
        ('{"probability": null}', "probability", "This field may not be null."),
        ('{"probability": [0.5]}', "probability", "Enter a number."),
        ("{}", "probability", "This field is required."),
        ('{"probabilities": [0.5, 0.5]}', "probabilities", "take probability"),
        ('{"probability": 0.5, "rationale": 5}', "rationale", "Not a valid string."),
        ('{"probability": 0.5, "confidence": 1}', "confidence", "Unknown field."),
        ('{"probability": NaN}', "non_field_errors", "NaN is not a JSON number"),
        ('{"probability": Infinity}', "non_field_errors", "Infinity is not"),
        ('{"probability": -Infinity}', "non_field_errors", "-Infinity is not"),
        ('{"probability": 1e400}', "non_field_errors", "out of range: 1e400"),
        ('{"probability": 0.5, "probability": 0.6}', "non_field_errors", "duplicate"),
        ('{"probability": 0.5', "non_field_errors", "not valid JSON"),
        ("[0.5]", "non_field_errors", "must be a JSON object"),
        ('"0.5"', "non_field_errors", "must be a JSON object"),
        ("null", "non_field_errors", "must be a JSON object"),
        ('{"probability": 0.5, "rationale": "\\ud800"}', "non_field_errors", "surrog"),
    ],
)
def test_bad_binary_forecasts_get_400_and_write_nothing(
    db, user_api, binary_question, body, field, message
):
    before = row_counts()
    response = post_json(user_api, url(binary_question), body)
    assert response.status_code == 400
    assert message in " ".join(response.json()[field])
    assert row_counts() == before


@pytest.mark.parametrize(
    "probabilities, message",
    [
        ([0.2, 0.8], "Give exactly 3 values."),
        ([0.2, 0.5, 0.2], "Probabilities must sum to 1."),
        ([0.0, 0.5, 0.5], "Must be between 0.001 and 0.999."),
        ([0.2, "0.5", 0.3], "Item 1: Enter a number."),
        ([0.2, None, 0.3], "Item 1: This field may not be null."),
        ([0.33333, 0.33333, 0.33334], "Use at most 4 decimal places"),
    ],
)
def test_bad_vectors_get_400_and_write_nothing(
    db, user_api, mc_question, probabilities, message
):
    before = row_counts()
    response = user_api.post(
        url(mc_question), {"probabilities": probabilities}, format="json"
    )
    assert response.status_code == 400
    assert message in " ".join(response.json()["probabilities"])
    assert row_counts() == before


def test_a_multiple_choice_question_refuses_a_single_probability(
    db, user_api, mc_question
):
    response = user_api.post(url(mc_question), {"probability": 0.5}, format="json")
    assert response.json() == {"probability": ["This question takes probabilities."]}


def test_a_long_rationale_is_refused(db, user_api, binary_question):
    response = user_api.post(
        url(binary_question),
        {"probability": 0.5, "rationale": "x" * 10_001},
        format="json",
    )
    assert response.status_code == 400 and "rationale" in response.json()


def test_forecasting_a_closed_question_names_the_reason(db, user_api, closed_question):
    response = user_api.post(url(closed_question), {"probability": 0.5}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "question": ["This question has closed; it accepts no more forecasts."]
    }


def test_forecasting_an_upcoming_question_names_the_reason(db, user_api):
    question = QuestionFactory(open_time=timezone.now() + timedelta(days=1))
    response = user_api.post(url(question), {"probability": 0.5}, format="json")
    assert response.json() == {
        "question": ["This question is not open for forecasts yet."]
    }


@pytest.mark.parametrize(
    "annulled, reason",
    [
        (False, "This question has been resolved; it accepts no forecasts."),
        (True, "This question has been annulled; it accepts no forecasts."),
    ],
)
def test_forecasting_a_settled_question_names_the_reason(
    db, user_api, staff, binary_question, annulled, reason
):
    resolve_question(
        question=binary_question,
        user=staff,
        outcome=None if annulled else 1,
        annulled=annulled,
        note="Void." if annulled else "",
    )
    before = row_counts()
    response = user_api.post(url(binary_question), {"probability": 0.5}, format="json")
    assert (response.status_code, response.json()) == (400, {"question": [reason]})
    assert row_counts() == before


def test_a_draft_is_404_to_users_and_unpublished_to_staff(db, user_api, staff_api):
    draft = QuestionFactory(publish=False)
    body = {"probability": 0.5}
    assert user_api.post(url(draft), body, format="json").status_code == 404
    assert user_api.get(url(draft)).status_code == 404
    response = staff_api.post(url(draft), body, format="json")
    assert response.json() == {"question": ["This question is not published."]}


def test_an_unknown_question_is_404(db, user_api):
    response = user_api.post(
        "/api/questions/nope/forecasts/", {"probability": 0.5}, format="json"
    )
    assert response.status_code == 404


def test_anonymous_forecasts_get_401(db, anon, binary_question):
    response = anon.post(url(binary_question), {"probability": 0.5}, format="json")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"
    assert anon.get(url(binary_question)).status_code == 401
    assert not Entry.objects.exists()


def test_forecasts_are_throttled_per_user(db, user, binary_question, settings):
    rates = {"signup": "9/hour", "token": "9/min", "forecast": "2/min"}
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": rates,
    }
    client = client_for(user)
    codes = [
        client.post(
            url(binary_question), {"probability": 0.5}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert codes == [201, 201, 429]
    assert Entry.objects.count() == 2
    # Reading your own entries is not a forecast and is not throttled.
    assert client.get(url(binary_question)).status_code == 200
    other = client_for(UserFactory())
    assert (
        other.post(
            url(binary_question), {"probability": 0.5}, format="json"
        ).status_code
        == 201
    )


def test_session_login_works_and_needs_csrf(db, user, binary_question):
    from rest_framework.test import APIClient

    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.get(url(binary_question)).status_code == 200
    response = browser.post(url(binary_question), {"probability": 0.5}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


@pytest.mark.parametrize("n", [3, 60])
def test_my_entries_take_a_fixed_number_of_queries(
    db, n, user, user_api, binary_question, django_assert_max_num_queries
):
    for i in range(n):
        submit_forecast(
            question=binary_question, user=user, probability=round(0.1 + i / 100, 2)
        )
    # Token, question, its tags, count, page (entries with question and user).
    with django_assert_max_num_queries(5):
        response = user_api.get(url(binary_question), {"page_size": 100})
    assert response.json()["count"] == n


def test_a_forecast_takes_a_fixed_number_of_queries(
    db, user, user_api, binary_question, django_assert_num_queries
):
    user_api.post(url(binary_question), {"probability": 0.4}, format="json")
    # Token, question; then the transaction's start and end (a savepoint in a
    # test), the head's lock and the writes: one statement on PostgreSQL, the
    # entry, standing and head apart elsewhere.
    writes = 1 if connection.vendor == "postgresql" else 3
    with django_assert_num_queries(2 + 2 + 1 + writes):
        response = user_api.post(
            url(binary_question), {"probability": 0.5}, format="json"
        )
    assert response.status_code == 201
