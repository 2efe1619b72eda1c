"""One way of showing numbers: percent, scores and points as the pages show them."""

import pytest

from forecasts.templatetags.ledger import chance, percent, points, score


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (0.4212, 2, "42.12%"),  # as stored, in forms and the ledger
        (0.725, 2, "72.5%"),
        (0.4212, 0, "42%"),  # whole percent in lists and summaries
        (0.725, 0, "73%"),  # halves round up
        (0.004, 0, "<1%"),  # never shown as a certainty
        (0.999, 0, ">99%"),
        (0.001, 2, "0.1%"),
    ],
)
def test_forecast_percentages(value, places, shown):
    assert chance(value, places) == shown


def test_bin_edges_stay_plain_percentages():
    assert percent(0.0, 0) == "0%" and percent(1.0, 0) == "100%"


@pytest.mark.parametrize(
    ("value", "shown"),
    [(0.1568, "0.157"), (-0.0001, "0.000"), (-0.0004999, "0.000"), (-0.25, "−0.250")],
)
def test_scores_have_three_decimals_and_never_minus_zero(value, shown):
    assert score(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [(46.6, "46.6"), (34.31999999999999, "34.3"), (-0.04, "0.0"), (-12.26, "−12.3")],
)
def test_points_have_one_decimal_and_never_minus_zero(value, shown):
    assert points(value) == shown
