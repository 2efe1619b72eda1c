"""After resolution any visitor sees every scored forecaster's result."""

import re

import pytest
from django.urls import reverse

from forecasts.selectors.results import RESULTS_PER_PAGE
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory


def page(question, query=""):
    return reverse("forecasts:question", args=[question.slug]) + query


def resolve(question, staff, capture, **kwargs):
    with capture(execute=True):
        resolve_question(question=question, user=staff, **kwargs)


def result_rows(html: str) -> list[str]:
    table = html.split('id="results-table"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [row for row in body.split("</tr>") if "<th" in row]


def names(rows: list[str]) -> list[str]:
    return [re.search(r'href="/users/([^/]+)/"', row)[1] for row in rows]


@pytest.fixture
def resolved(db, staff, django_capture_on_commit_callbacks):
    question = QuestionFactory()
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    submit_forecast(question=question, user=ann, probability=0.9, rationale="Leaks.")
    submit_forecast(question=question, user=bob, probability=0.2, rationale="Slow.")
    resolve(question, staff, django_capture_on_commit_callbacks, outcome=1)
    return question


def test_anonymous_visitor_sees_every_forecaster_with_forecast_and_brier(
    client, resolved
):
    html = client.get(page(resolved)).content.decode()
    rows = result_rows(html)
    # Sorted by time-averaged Brier: ann 2·0.1² = 0.02, bob 2·0.8² = 1.28.
    assert names(rows) == ["ann", "bob"]
    assert "90%" in rows[0] and "Leaks." in rows[0] and "0.020" in rows[0]
    assert "20%" in rows[1] and "Slow." in rows[1] and "1.280" in rows[1]


def test_columns_sort_and_the_visitors_row_is_highlighted(client, resolved):
    bob = resolved.entries.get(sequence=2).user
    client.force_login(bob)
    html = client.get(page(resolved, "?sort=username")).content.decode()
    assert names(result_rows(html)) == ["ann", "bob"]
    own = [row for row in result_rows(html) if 'id="own-result"' in row]
    assert len(own) == 1 and "bob" in own[0]
    # Points: the market started at 50%; ann moved it to 90% (+100·(0.5 − 0.02)
    # = 48), bob to 20% (100·(0.02 − 1.28) = −126): the higher first.
    html = client.get(page(resolved, "?sort=points")).content.decode()
    assert names(result_rows(html)) == ["ann", "bob"]
    assert "48.0" in result_rows(html)[0] and "−126.0" in result_rows(html)[1]


def test_results_are_paginated(client, staff, django_capture_on_commit_callbacks):
    question = QuestionFactory()
    users = [UserFactory(username=f"u{i:03d}") for i in range(RESULTS_PER_PAGE + 1)]
    for user in users:
        submit_forecast(question=question, user=user, probability=0.7)
    resolve(question, staff, django_capture_on_commit_callbacks, outcome=1)
    first = client.get(page(question, "?sort=username")).content.decode()
    second = client.get(page(question, "?sort=username&page=2")).content.decode()
    assert len(result_rows(first)) == RESULTS_PER_PAGE
    assert names(result_rows(second)) == [f"u{RESULTS_PER_PAGE:03d}"]
    assert "Page 2 of 2" in second


def test_no_results_table_before_resolution_nor_when_annulled(
    client, staff, binary_question, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.6)
    assert (
        'id="results-table"' not in client.get(page(binary_question)).content.decode()
    )
    resolve(
        binary_question,
        staff,
        django_capture_on_commit_callbacks,
        annulled=True,
        note="The premise failed.",
    )
    html = client.get(page(binary_question)).content.decode()
    assert 'id="results-table"' not in html and "no one is scored" in html


def test_a_missing_relative_brier_links_to_the_reason(client, resolved):
    # Both forecasts and the resolution fall within the first hour: no stored
    # community point existed during the window, so no relative Brier.
    html = client.get(page(resolved)).content.decode()
    assert 'href="/scoring/#relative-missing"' in result_rows(html)[0]
    scoring = client.get("/scoring/").content.decode()
    assert 'id="relative-missing"' in scoring
