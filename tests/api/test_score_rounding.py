"""The API returns scores rounded to 9 decimals, with no float noise."""

import pytest

from forecasts.services import resolve_question, submit_forecast


@pytest.fixture
def scored(binary_question, user, staff, django_capture_on_commit_callbacks):
    submit_forecast(question=binary_question, user=user, probability=0.72)
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=binary_question, user=staff, outcome=1)
    return binary_question


def test_scores_carry_no_float_noise(client, scored, user):
    body = client.get(f"/api/questions/{scored.slug}/scores/").json()
    (row,) = body["results"]
    # 2 · 0.28² = 0.1568; in floats (0.28² + 0.28²) it is 0.15680000000000002.
    assert row["brier"] == 0.1568
    # Market points: 100 · (0.5 − 0.1568) = 34.32, not 34.31999999999999.
    assert row["points"] == 34.32
    board = client.get("/api/leaderboard/").json()["results"]
    assert board[0]["points"] == 34.32 and board[0]["mean_brier"] == 0.1568
    totals = client.get(f"/api/users/{user.username}/scores/").json()["totals"]
    assert totals["points"] == 34.32


def test_the_schema_says_scores_are_rounded(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    brier = schema["components"]["schemas"]["ScoreOutput"]["properties"]["brier"]
    assert "Rounded to 9 decimals." in brier["description"]
