"""Each benchmark runs once at its tiny size, so that none can rot.

Nothing here asserts a time: only that every figure is produced and that the
checks the benchmarks make (agreement with scikit-learn, with the naive loop,
with the points path) hold.
"""

import math

import numpy as np
import pytest
from django.db import connection

from bench import suite
from bench.timing import Figure
from forecasts.verification import verify_ledger
from tests.conftest import need_service


@pytest.fixture
def run_tiny(db):
    def run(name: str) -> list[Figure]:
        figures = suite.run_all("tiny", seed=7, names=[name])
        assert figures and all(math.isfinite(f.value) for f in figures)
        return figures

    return run


@pytest.fixture
def committed_postgres(transactional_db):
    """Committed rows on PostgreSQL, which a gunicorn server can read."""
    if connection.vendor != "postgresql":
        need_service("needs PostgreSQL: set DATABASE_URL=postgres://…")


def test_throughput_benchmark_accepts_every_forecast_into_the_ledger(
    committed_postgres,
):
    figures = suite.run_all("tiny", seed=7, names=["throughput"])

    notes = figures[0].notes
    assert notes["forecasts accepted"] > 0
    assert notes["entries added to the ledger"] == notes["forecasts accepted"]
    assert notes["other statuses"] == {}
    assert notes["ledger verifies"]


def test_pages_benchmark_counts_queries_at_both_sizes(run_tiny):
    figures = run_tiny("pages")

    assert len(figures) == 5
    assert all(min(f.notes.values()) > 0 for f in figures)


def test_scoring_benchmark_agrees_with_the_naive_loop(run_tiny):
    figures = run_tiny("scoring")

    (naive,) = [f for f in figures if f.name.startswith("naive")]
    assert naive.notes["largest difference between the two"] < 1e-9
    # Scored from the running sums, and from every entry: the same scores.
    (every,) = [f for f in figures if "from every entry" in f.name]
    assert every.notes["largest difference from the sums' scores (relative)"] < 1e-12
    assert verify_ledger() == []


def test_write_cost_benchmark_leaves_a_sound_ledger(run_tiny):
    (figure,) = run_tiny("writes")

    assert figure.unit == "ms" and figure.reference_value > 0
    assert verify_ledger() == []


def test_community_benchmark_reports_compute_and_read(run_tiny):
    figures = run_tiny("community")

    assert [f.target for f in figures] == [50.0, None, None, None]


def test_calibration_benchmark_matches_the_points_path(run_tiny):
    figures = run_tiny("calibration")

    data = [f for f in figures if f.name.startswith("calibration data")]
    assert len(data) == 2  # final and all modes
    for figure in data:
        assert figure.notes["largest difference from the points path"] < 1e-12
        assert figure.notes["points"] > 0
    assert verify_ledger() == []


def test_reference_benchmark_agrees_with_scikit_learn(run_tiny):
    figures = run_tiny("reference")

    agreements = [f for f in figures if f.unit == ""]
    assert len(agreements) == 4
    assert all(f.met for f in agreements)


def test_figures_without_reference_have_no_ratio():
    figure = Figure("x", "y", 1.0, "s")

    assert figure.ratio is None and figure.met is None
    assert Figure("x", "y", 3.0, "s", "r", 1.0, target=2.0).met is False
    assert np.isclose(Figure("x", "y", 3.0, "s", "r", 2.0).ratio, 1.5)


def test_exports_benchmark_streams_what_the_old_exports_wrote(committed_postgres):
    """Through gunicorn, on PostgreSQL's snapshot path: the reference's bytes."""
    import hashlib

    from accounts.models import User
    from forecasts.models import Question
    from tests.api import export_reference

    figures = suite.run_all("tiny", seed=7, names=["exports"])

    assert len(figures) == 7
    assert all(f.met is not None for f in figures)
    staff = User.objects.get(username="bench-export-staff")
    question = Question.objects.get(slug__startswith="bench-export-")
    expected = [
        export_reference.ledger_csv(staff),
        export_reference.ledger_json(staff),
        export_reference.question_ledger_json(question),
    ]
    downloads = [f for f in figures if "sha256" in f.notes]
    assert [f.notes["sha256"] for f in downloads] == [
        hashlib.sha256(body).hexdigest() for body in expected
    ]
    assert figures[-1].notes["bytes"] > 0


def test_sqlite_benchmark_loses_no_forecast(run_tiny):
    figure, lost = run_tiny("sqlite")

    notes = figure.notes
    assert notes["forecasts accepted"] > 0
    assert notes["entries in the ledger"] == notes["forecasts accepted"]
    assert notes["other statuses (forecasts)"] == {}
    assert notes["ledger verifies"]
    assert lost.value == 0 and lost.met


def test_numeric_benchmark_scores_every_cdf_as_a_midpoint_integration(run_tiny):
    figures = run_tiny("continuous")

    scored = figures[0]
    assert scored.name.startswith("score a numeric resolution")
    assert scored.notes["largest CRPS difference from a midpoint integration"] < 1e-9
    assert verify_ledger() == []
