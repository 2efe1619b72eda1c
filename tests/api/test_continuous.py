"""Numeric and date questions through the API, as a new user meets them.

Create a log-scale numeric question with open bounds and a date question,
forecast with each of the three inputs, resolve inside and above the range, and
read scores equal to the issue's formulas, computed by hand below.
"""

import math
from datetime import timedelta

import numpy as np
import pytest
from django.utils import timezone

from forecasts.verification import verify_ledger
from tests.api.conftest import client_for
from tests.factories import UserFactory
from tests.forecasts.continuous_reference import midpoint_crps

pytestmark = pytest.mark.django_db


def create(staff_api, **fields):
    now = timezone.now()
    body = {
        "title": "How many?",
        "body": "Background.",
        "resolution_criteria": "Criteria.",
        "open_time": (now - timedelta(days=10)).isoformat(),
        "close_time": (now + timedelta(days=30)).isoformat(),
        **fields,
    }
    response = staff_api.post("/api/questions/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def forecast(client, slug, **body):
    response = client.post(f"/api/questions/{slug}/forecasts/", body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def resolve(staff_api, slug, capture, **body):
    with capture(execute=True):
        response = staff_api.post(
            f"/api/questions/{slug}/resolve/", body, format="json"
        )
    assert response.status_code == 200, response.json()
    return response.json()


def scores_by_user(client, slug) -> dict:
    data = client.get(f"/api/questions/{slug}/scores/").json()
    assert data["state"] == "done"
    return {row["username"]: row for row in data["results"]}


def test_date_question_resolved_inside_the_range(
    staff_api, django_capture_on_commit_callbacks
):
    question = create(
        staff_api,
        slug="when",
        kind="date",
        range_min="2026-01-01T00:00:00Z",
        range_max="2026-01-11T00:00:00Z",
        open_upper_bound=True,
    )
    assert question["range_min"] == "2026-01-01T00:00:00Z"
    assert (question["scale"], question["unit"]) == ("linear", "")
    user = UserFactory(username="ada")
    # F_i = 0.0045·i: F(u) = 0.9u, 0.1 left above the range.
    cdf = [round(0.0045 * i, 6) for i in range(201)]
    entry = forecast(client_for(user), "when", cdf=cdf)
    assert entry["cdf"][200] == 0.9
    assert entry["input"] == {"cdf": cdf}

    # 2026-01-03T12:00Z is 2.5 days of 10: u_y = 0.25.
    data = resolve(
        staff_api,
        "when",
        django_capture_on_commit_callbacks,
        value="2026-01-03T12:00:00Z",
    )

    assert data["resolution"]["outcome"] == "inside the range"
    assert data["resolution"]["value"] == "2026-01-03T12:00:00Z"
    row = scores_by_user(staff_api, "when")["ada"]
    # crps = ∫₀^¼ (0.9u)² du + ∫_¼^1 (1 − 0.9u)² du
    #      = 0.81·0.25³/3 + (0.775³ − 0.1³)/(3·0.9)
    #      = 0.00421875 + 0.17203125 = 0.17625
    assert row["crps"] == pytest.approx(0.17625)
    assert row["brier"] == pytest.approx(0.3525)
    # Bucket ⌈200·0.25⌉ = 50: pmf = F_50 − F_49 = 0.0045.
    assert row["log_score"] == pytest.approx(math.log(0.0045))
    # β = (1 − 0.05·1 open bound)/200 = 0.00475: 50·ln(0.0045/0.00475).
    assert row["baseline"] == pytest.approx(50 * math.log(0.0045 / 0.00475))
    assert row["peer"] is None
    assert row["rps"] is None
    # The baseline distribution F(u) = 0.95u: crps = 0.95²·0.25³/3
    # + (0.7625³ − 0.05³)/(3·0.95) = 0.0047005208 + 0.1555078125 = 0.1602083333;
    # points = 100·(2·0.1602083333 − 2·0.17625) = −3.2083333.
    assert row["points"] == pytest.approx(-3.2083333, abs=1e-6)
    # One forecaster, held from the entry to the end: time-averaged = final.
    assert row["time_averaged_brier"] == pytest.approx(0.3525)
    assert verify_ledger() == []


def test_log_numeric_question_with_three_inputs_resolved_above(
    staff_api, django_capture_on_commit_callbacks
):
    create(
        staff_api,
        slug="tokens",
        kind="numeric",
        range_min=1000,
        range_max=1_000_000,
        scale="log",
        open_lower_bound=True,
        open_upper_bound=True,
        unit="tokens",
    )
    clients = {name: client_for(UserFactory(username=name)) for name in "abc"}
    a = forecast(
        clients["a"],
        "tokens",
        quantiles=[[0.1, 3000], [0.5, 31622.78], [0.9, 300_000]],
    )
    b = forecast(
        clients["b"],
        "tokens",
        components=[{"center": 100_000, "spread": 0.1, "weight": 1}],
    )
    # F_i = 0.1 + 0.004·i: F(u) = 0.1 + 0.8u, 0.1 beyond each bound.
    c = forecast(clients["c"], "tokens", cdf=[0.1 + 0.004 * i for i in range(201)])
    # 31622.78 = 10^4.5 is u = (4.5 − 3)/3 = 0.5: the CDF passes through 0.5.
    assert a["cdf"][100] == pytest.approx(0.5, abs=0.0005)
    community = staff_api.get("/api/questions/tokens/").json()["community"]
    assert community["forecasters"] == 3
    assert set(community["quantiles"]) == {"0.05", "0.25", "0.5", "0.75", "0.95"}

    data = resolve(
        staff_api, "tokens", django_capture_on_commit_callbacks, value=2_000_000
    )

    assert data["resolution"]["outcome"] == "above the range"
    rows = scores_by_user(staff_api, "tokens")
    # Above the range, u_y clamps to 1: crps = ∫₀¹ (0.1 + 0.8u)² du
    # = (0.9³ − 0.1³)/(3·0.8) = 0.728/2.4 = 0.303333…
    assert rows["c"]["crps"] == pytest.approx(0.728 / 2.4)
    assert rows["c"]["brier"] == pytest.approx(2 * 0.728 / 2.4)
    # Bucket 201: pmf = 1 − F_200 = 0.1; β_201 = 0.05 for an open bound.
    assert rows["c"]["log_score"] == pytest.approx(math.log(0.1))
    assert rows["c"]["baseline"] == pytest.approx(50 * math.log(0.1 / 0.05))
    tails = {name: 1 - e["cdf"][200] for name, e in zip("abc", (a, b, c), strict=True)}
    mean_log = np.mean(np.log(list(tails.values())))
    for name in "abc":
        row = rows[name]
        assert row["brier"] == pytest.approx(2 * row["crps"])
        assert row["log_score"] == pytest.approx(math.log(tails[name]), abs=1e-6)
        # peer = 50·n/(n−1)·ln(pmf_b / geometric mean), n = 3.
        expected = 50 * 1.5 * (math.log(tails[name]) - mean_log)
        assert row["peer"] == pytest.approx(expected, abs=1e-4)
    # Against a slow midpoint integration of the stored CDF.
    assert rows["a"]["crps"] == pytest.approx(midpoint_crps(a["cdf"], 1.0), abs=1e-6)
    assert rows["b"]["crps"] == pytest.approx(midpoint_crps(b["cdf"], 1.0), abs=1e-6)
    # Market points telescope: 100·(brier(baseline) − brier(last entry, c)).
    # Baseline F(u) = 0.05 + 0.9u: crps = (0.95³ − 0.05³)/(3·0.9) = 0.3175.
    total = sum(row["points"] for row in rows.values())
    assert total == pytest.approx(100 * (2 * 0.3175 - 2 * 0.728 / 2.4), abs=1e-6)
    assert verify_ledger() == []


def test_closed_bound_value_outside_is_refused(staff_api):
    create(
        staff_api,
        slug="closed",
        kind="numeric",
        range_min=0,
        range_max=10,
    )
    response = staff_api.post(
        "/api/questions/closed/resolve/", {"value": 11}, format="json"
    )
    assert response.status_code == 400
    assert "closed upper bound" in response.json()["value"][0]


def test_forecast_errors_name_the_rule_and_index(staff_api, user_api):
    create(
        staff_api,
        slug="errs",
        kind="numeric",
        range_min=0,
        range_max=10,
    )
    cdf = [i / 200 for i in range(201)]
    cdf[7] = cdf[6]
    response = user_api.post(
        "/api/questions/errs/forecasts/", {"cdf": cdf}, format="json"
    )
    assert response.status_code == 400
    assert "step rule: F[7]" in response.json()["cdf"][0]
    both = user_api.post(
        "/api/questions/errs/forecasts/",
        {"quantiles": [[0.5, 1], [0.9, 2]], "components": []},
        format="json",
    )
    assert both.status_code == 400


def test_community_history_gives_quantiles(staff_api, user_api):
    create(staff_api, slug="hist", kind="numeric", range_min=0, range_max=10)
    forecast(user_api, "hist", quantiles=[[0.25, 2.5], [0.75, 7.5]])
    from forecasts.models import Question
    from forecasts.services.community import store_community_points

    question = Question.objects.get(slug="hist")
    store_community_points(question, np.array([timezone.now().timestamp() + 1]))

    points = user_api.get("/api/questions/hist/community/").json()["results"]

    # The line through (0.25, 2.5) and (0.75, 7.5) has its median at 5.
    assert points[0]["quantiles"]["0.5"] == pytest.approx(5.0, abs=0.01)
