"""The "How scoring works" page's numeric/date example agrees with the engine."""

import math

import numpy as np
import pytest

from forecasts import scoring

# The page's example: F_i = 0.0045·i (closed below, open above), u_y = 0.25.
CDF = 0.0045 * np.arange(201)


def test_the_pages_hand_computed_numbers_are_the_engines():
    assert scoring.crps(CDF, 0.25) == pytest.approx(0.17625)
    assert scoring.continuous_brier(CDF, 0.25) == pytest.approx(0.3525)
    (log,) = scoring.continuous_log_scores(CDF, 0.25)
    assert round(log, 3) == -5.404
    (baseline,) = scoring.continuous_baseline_scores(CDF, 0.25, False, True)
    assert round(baseline, 3) == -2.703
    assert scoring.pit_values(CDF, [0.25])[0] == pytest.approx(0.225)
    market = scoring.cdf_floats(scoring.baseline_cdf(False, True))
    points = 100 * (scoring.continuous_brier(market, 0.25) - 0.3525)
    assert round(points, 3) == -3.208
    assert math.isclose(scoring.crps(market, 0.25), 0.160208, abs_tol=1e-6)


def test_the_page_shows_the_example(client, db):
    html = client.get("/scoring/").content.decode()
    for anchor, number in [
        ("example-crps", "0.17625"),
        ("example-continuous-brier", "0.3525"),
        ("example-continuous-log", "−5.404"),
        ("example-continuous-baseline", "−2.703"),
        ("example-pit", "0.225"),
        ("example-continuous-points", "−3.208"),
    ]:
        assert f'id="{anchor}">{number}<' in html
