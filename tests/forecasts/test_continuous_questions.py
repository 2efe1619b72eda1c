"""Numeric and date questions: the model's rules, the forecast service, the page."""

import json
from datetime import UTC, datetime

import numpy as np
import pytest
from django.core.exceptions import ValidationError

from forecasts import services
from forecasts.continuous import display_value
from forecasts.ledger import canonical_hash, entry_payload
from forecasts.models import Entry
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db

# 2026-01-01 and 2026-01-11 UTC, in POSIX seconds: a 10-day linear range.
JAN_1, JAN_11 = 1767225600.0, 1768089600.0


def numeric_question(**fields):
    defaults = {
        "kind": "numeric",
        "range_min": 1000.0,
        "range_max": 1_000_000.0,
        "scale": "log",
        "open_lower_bound": True,
        "open_upper_bound": True,
        "unit": "tokens",
    }
    return QuestionFactory(**(defaults | fields))


def date_question(**fields):
    defaults = {"kind": "date", "range_min": JAN_1, "range_max": JAN_11}
    return QuestionFactory(**(defaults | fields))


def test_log_scale_needs_a_positive_minimum():
    with pytest.raises(ValidationError) as caught:
        numeric_question(range_min=0.0)
    assert "range_min" in caught.value.message_dict


def test_date_question_is_linear_and_has_no_unit():
    with pytest.raises(ValidationError) as caught:
        date_question(scale="log", unit="days")
    assert set(caught.value.message_dict) >= {"scale", "unit"}


def test_range_max_must_exceed_range_min():
    with pytest.raises(ValidationError) as caught:
        numeric_question(range_min=10.0, range_max=10.0)
    assert "range_max" in caught.value.message_dict


def test_range_and_bounds_freeze_once_forecast():
    question = numeric_question()
    services.submit_forecast(
        question=question,
        user=UserFactory(),
        quantiles=[[0.5, 10_000]] + [[0.9, 100_000]],
    )
    with pytest.raises(ValidationError) as caught:
        services.update_question(question=question, range_max=2_000_000.0)
    assert "range_max" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.update_question(question=question, open_upper_bound=False)
    assert "open_upper_bound" in caught.value.message_dict


def test_cdf_forecast_is_stored_in_millionths_and_hashed_with_six_decimals():
    question = date_question()
    uniform = [i / 200 for i in range(201)]

    entry = services.submit_forecast(question=question, user=UserFactory(), cdf=uniform)

    stored = Entry.objects.get(pk=entry.pk)
    # F_i = i/200 = 5000·i millionths.
    assert stored.probabilities_bp == [5000 * i for i in range(201)]
    assert stored.input == {"cdf": uniform}
    payload = entry_payload(
        question=question.slug,
        sequence=1,
        user=stored.user_id,
        probabilities_bp=stored.probabilities_bp,
        rationale="",
        created_at=stored.created_at,
        prev_hash=stored.prev_hash,
        salt=stored.salt,
        continuous=True,
    )
    assert payload["probabilities"][1] == "0.005000"
    assert payload["probabilities"][200] == "1.000000"
    assert canonical_hash(payload) == stored.hash


def test_quantiles_of_a_date_question_take_iso_datetimes():
    question = date_question()

    entry = services.submit_forecast(
        question=question,
        user=UserFactory(),
        quantiles=[[0.25, "2026-01-03T12:00:00Z"], [0.75, "2026-01-08T12:00:00Z"]],
    )

    # 2026-01-03T12:00Z is 2.5 days into 10: u = 0.25, grid index 50.
    assert entry.probabilities_bp[50] == pytest.approx(250_000, abs=500)
    assert entry.probabilities_bp[150] == pytest.approx(750_000, abs=500)


def test_components_build_a_valid_cdf_and_keep_the_input():
    question = numeric_question()
    given = [{"center": 31622.8, "spread": 0.1, "weight": 1}]

    entry = services.submit_forecast(
        question=question, user=UserFactory(), components=given
    )

    assert entry.input == {"components": given}
    assert entry.probabilities_bp[0] >= 1000
    assert entry.probabilities_bp[200] <= 999_000
    # centre 31622.8 = 10^4.5 is u = 0.5 on 10^3 … 10^6: half the mass below.
    assert entry.probabilities_bp[100] == pytest.approx(500_000, abs=2000)


def test_two_inputs_at_once_are_refused():
    question = numeric_question()
    with pytest.raises(ValidationError) as caught:
        services.submit_forecast(
            question=question,
            user=UserFactory(),
            cdf=[i / 200 for i in range(201)],
            quantiles=[[0.5, 10_000], [0.9, 100_000]],
        )
    assert "exactly one" in str(caught.value)


def test_a_closed_bound_cdf_error_names_the_rule_and_index():
    question = date_question()
    flat = [0.0] * 201
    with pytest.raises(ValidationError) as caught:
        services.submit_forecast(question=question, user=UserFactory(), cdf=flat)
    assert "step rule: F[1]" in caught.value.message_dict["cdf"][0]
    assert not Entry.objects.exists()


def test_probability_is_refused_on_a_numeric_question():
    question = numeric_question()
    with pytest.raises(ValidationError) as caught:
        services.submit_forecast(question=question, user=UserFactory(), probability=0.5)
    assert "probability" in caught.value.message_dict


# The page ------------------------------------------------------------------------


def distribution_data(response) -> dict:
    html = response.content.decode()
    start = html.index('id="distribution-data"')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def test_page_has_the_distribution_form_and_data(client):
    question = numeric_question()
    user = UserFactory()
    client.force_login(user)

    response = client.get(f"/questions/{question.slug}/")

    html = response.content.decode()
    assert 'id="distribution-form"' in html
    assert '<div id="distribution-editor" hidden></div>' in html
    for name in ("p10", "p50", "p90", "components"):
        assert f'name="{name}"' in html
    maths = html.index("forecasts/distribution-maths.js")
    assert maths < html.index("forecasts/distribution.js")
    data = distribution_data(response)
    assert data["kind"] == "numeric"
    assert data["scale"] == "log"
    assert data["range_min"] == 1000.0
    assert data["open_lower"] is True
    assert data["community_cdf"] is None
    assert data["my_cdf"] is None


def test_percentile_boxes_save_a_forecast_without_javascript(client):
    question = numeric_question()
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        f"/questions/{question.slug}/",
        {"p10": "3000", "p50": "31622.8", "p90": "300000", "components": ""},
    )

    assert response.status_code == 302
    entry = Entry.objects.get()
    assert entry.input["quantiles"][1] == [0.5, 31622.8]
    # 31622.8 = 10^4.5 is u = 0.5: F_100 = 0.5 within 0.0005.
    assert entry.probabilities_bp[100] == pytest.approx(500_000, abs=500)
    page = client.get(f"/questions/{question.slug}/")
    data = distribution_data(page)
    assert data["my_cdf"][100] == pytest.approx(0.5, abs=0.0005)
    assert data["community_cdf"][100] == pytest.approx(0.5, abs=0.0005)
    # The median in the list and page: 31.6K tokens.
    assert "31.6K tokens" in page.content.decode()


def test_components_take_precedence_over_the_boxes(client):
    question = date_question()
    client.force_login(UserFactory())
    components = [{"center": "2026-01-06T00:00:00Z", "spread": 0.1, "weight": 1}]

    client.post(
        f"/questions/{question.slug}/",
        {"p10": "", "p50": "", "p90": "", "components": json.dumps(components)},
    )

    entry = Entry.objects.get()
    assert entry.input == {"components": components}
    page = client.get(f"/questions/{question.slug}/")
    assert distribution_data(page)["my_components"] == components


def test_bad_percentiles_show_the_error_next_to_the_box_and_keep_input(client):
    question = numeric_question()
    client.force_login(UserFactory())

    response = client.post(
        f"/questions/{question.slug}/",
        {"p10": "50000", "p50": "20000", "p90": "300000", "components": ""},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="50000"' in html
    assert "quantiles[1]" in html
    assert not Entry.objects.exists()


def test_date_boxes_read_dates(client):
    question = date_question()
    client.force_login(UserFactory())

    response = client.post(
        f"/questions/{question.slug}/",
        {"p10": "2026-01-02", "p50": "2026-01-06", "p90": "2026-01-10"},
    )

    assert response.status_code == 302
    entry = Entry.objects.get()
    # 2026-01-06T00:00 UTC (the test zone) is day 5 of 10: u = 0.5.
    assert entry.probabilities_bp[100] == pytest.approx(500_000, abs=500)
    assert datetime.fromisoformat(entry.input["quantiles"][1][1]) == datetime(
        2026, 1, 6, tzinfo=UTC
    )


def test_another_users_cdf_is_not_in_the_page_data(client):
    question = numeric_question(hide_community_until_forecast=True)
    services.submit_forecast(
        question=question, user=UserFactory(), quantiles=[[0.5, 10_000], [0.9, 1e5]]
    )
    client.force_login(UserFactory())

    data = distribution_data(client.get(f"/questions/{question.slug}/"))

    assert data["community_cdf"] is None
    assert data["my_cdf"] is None
    assert np.isfinite(data["range_max"])


def test_values_show_in_the_unit_compactly_and_dates_as_dates():
    question = QuestionFactory.build(
        kind="numeric", scale="log", unit="tokens", range_min=1.0, range_max=2.0
    )
    assert display_value(question, 131072.0) == "131K tokens"
    assert display_value(question, 1048576.0) == "1.05M tokens"
    assert display_value(question, 0.25) == "0.25 tokens"
    day = QuestionFactory.build(kind="date", range_min=JAN_1, range_max=JAN_11)
    # JAN_1 + 5 days.
    assert display_value(day, JAN_1 + 5 * 86400) == "2026-01-06"
