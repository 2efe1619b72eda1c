"""The resolve "Review…" screen is computed with reads only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forecasts.forms import ANNUL
from forecasts.services import resolve_question, submit_forecast
from tests.factories import UserFactory

WRITES = ("INSERT", "UPDATE", "DELETE")


def review(client, question, version=0, **fields):
    data = {"step": "review", "version": version, "note": "", "source_url": ""}
    url = reverse("forecasts:resolve", args=[question.slug])
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {**data, **fields})
    writes = [
        q["sql"] for q in captured if q["sql"].lstrip().upper().startswith(WRITES)
    ]
    return response, writes


@pytest.fixture
def forecast_three_times(binary_question):
    for _ in range(3):
        submit_forecast(question=binary_question, user=UserFactory(), probability=0.6)
    return binary_question


def test_review_runs_no_write(client, staff, forecast_three_times):
    client.force_login(staff)

    response, writes = review(client, forecast_three_times, outcome="1")

    assert writes == []
    assert response.status_code == 200
    assert response.context["forecasters"] == 3
    assert "<strong>3</strong> forecasters will be scored" in response.text


def test_review_of_a_re_resolution_runs_no_write(client, staff, forecast_three_times):
    resolve_question(question=forecast_three_times, user=staff, outcome=1)
    client.force_login(staff)

    response, writes = review(
        client, forecast_three_times, version=1, outcome="0", note="Misread."
    )

    assert writes == []
    assert response.context["version"] == 1
    assert response.context["forecasters"] == 3


@pytest.mark.parametrize(
    "fields, field",
    [({"outcome": "1", "version": 1}, None), ({"outcome": ANNUL}, "note")],
)
def test_review_still_refuses_what_resolving_would(
    client, staff, forecast_three_times, fields, field
):
    client.force_login(staff)

    response, writes = review(client, forecast_three_times, **fields)

    assert writes == []
    assert response.status_code == 400
    errors = response.context["form"].errors
    if field:
        assert field in errors
    else:
        assert "latest resolution version is 0" in str(errors["__all__"])
