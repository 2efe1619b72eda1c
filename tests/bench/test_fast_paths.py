"""The fast paths the benchmarks drove in give the definition's results exactly."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bench import data
from bench import slow as slow_paths
from bench.calibration import largest_difference as calibration_difference
from forecasts import scoring
from forecasts.models import Question
from forecasts.scoring.calibration import tenths
from forecasts.scoring.community import _StandingForecasts
from forecasts.selectors.arrays import entry_arrays
from forecasts.selectors.community import community_now


def definition_series(times, users, vectors, boundaries, binary):
    """Return the community at each boundary, re-sorting everyone each time."""
    rows = []
    for boundary in boundaries:
        before = users[times < boundary].tolist()
        latest = {u: i for i, u in enumerate(before)}
        positions = sorted(latest.values())
        rows.append(scoring.community_forecast(vectors[positions], binary))
    return np.array(rows)


@pytest.mark.parametrize("coarse", [False, True])
@pytest.mark.parametrize("binary", [True, False])
def test_community_series_equals_the_definition_bit_for_bit(binary, coarse):
    # 5,000 forecasters: past 900 the fast path skips negligible weights.
    # Coarse: every value a multiple of 0.25, so medians often sit on a tie.
    rng = np.random.default_rng(11)
    n, k = 12_000, 2 if binary else 3
    times = np.sort(rng.uniform(0, 1000, n)).round(2)
    users = rng.integers(0, 5_000, n)
    bp = data.binary_bp(rng, users) if binary else data.simplex_bp(rng, users, k)
    if coarse:
        bp = np.round(bp / 2_500) * 2_500
    vectors = bp / 10_000
    every = np.linspace(2.5, 997.5, 60)
    boundaries = np.sort(np.r_[1.0, 200.0, 200.5, 640.0, 999.0, 1000.5, every])

    series, counts = scoring.community_series(times, users, vectors, boundaries, binary)

    assert np.array_equal(
        series, definition_series(times, users, vectors, boundaries, binary)
    )
    assert counts[-1] == np.unique(users).size


def test_the_standing_set_is_each_users_latest_entry_at_every_step():
    # A few forecasters write most entries, so dead slots pile up and the
    # buffer is compacted and grown along the way.
    rng = np.random.default_rng(3)
    users = np.where(rng.random(20_000) < 0.7, rng.integers(0, 5, 20_000), 0)
    users = np.where(users == 0, rng.integers(0, 3_000, 20_000), users)
    _, index = np.unique(users, return_inverse=True)
    standing = _StandingForecasts(index, index.max() + 1)
    for stop in np.sort(rng.integers(1, 20_001, 40)):
        standing.advance(int(stop))
        latest = {u: i for i, u in enumerate(index[:stop].tolist())}
        expected = np.array(sorted(latest.values()))
        assert standing.count == expected.size
        assert np.array_equal(standing.positions(), expected)
        for m in (1, 7, expected.size // 2, expected.size):
            assert np.array_equal(standing.newest(m), expected[expected.size - m :])


def test_community_series_ties_fall_back_to_the_definition():
    # Two forecasters weigh the same: the crossing lands exactly on half.
    series, _ = scoring.community_series(
        [1.0, 2.0], [5, 6], [[0.8, 0.2], [0.4, 0.6]], [3.0], binary=True
    )

    assert series[0].tolist() == [0.6, 0.4]


@pytest.fixture
def ledger(db):
    rng = np.random.default_rng(5)
    now = datetime.now(UTC)
    question = data.make_question(
        "fast-paths",
        open_time=now - timedelta(days=3),
        close_time=now + timedelta(days=3),
        options=["A", "B", "C"],
    )
    forecasters = data.make_forecasters(25)
    return data.random_ledger(rng, question, forecasters, 3, until=now)


@pytest.mark.core
def test_entry_arrays_read_exactly_what_was_written(ledger):
    arrays = entry_arrays(ledger.question, before=datetime.now(UTC))

    assert np.array_equal(arrays.ids, ledger.ids)
    assert np.array_equal(arrays.users, ledger.users)
    assert np.array_equal(arrays.times, ledger.micros / 1e6)
    assert np.array_equal(arrays.vectors, ledger.bp / 10_000)


@pytest.mark.core
def test_community_now_equals_the_forecast_of_the_standing_set(ledger):
    question = Question.objects.select_related("head").get(pk=ledger.question.pk)
    latest = {u: i for i, u in enumerate(ledger.users.tolist())}
    positions = sorted(latest.values())
    expected = scoring.community_forecast(ledger.bp[positions] / 10_000, False)

    community = community_now([question])[question.pk]

    assert community.probabilities == expected.tolist()
    assert community.forecasters == len(latest)


def test_tenths_equals_searchsorted_around_every_edge():
    # 200,000 doubles either side of 0, 0.1, …, 1: ⌊10·f⌋ in floating point
    # and the edges' own rounding disagree only at the double below 0.9.
    edges = np.arange(1, 10) / 10
    for i in range(11):
        bits = np.float64(i / 10).view(np.int64) + np.arange(-200_000, 200_001)
        f = bits.view(np.float64)
        f = f[(f >= 0.0) & (f <= 1.0)]
        expected = np.minimum(np.searchsorted(edges, f, side="right"), 9)
        assert np.array_equal(np.minimum(tenths(f), 9), expected)


@pytest.mark.parametrize("outcome_type", [int, bool, float, np.uint8])
def test_calibration_from_bincounts_equals_the_points_path(outcome_type):
    rng = np.random.default_rng(5)
    bp = rng.integers(0, 10_001, 200_000)
    bp[:6] = [0, 10_000, 9_000, 1_000, 5_000, 9_999]  # edges and both ends
    probs = bp / 10_000
    outcomes = rng.random(bp.size) < probs
    # The double just below 0.9, and values outside 0..1 (searched instead).
    probs[6] = np.nextafter(0.9, 0.0)

    fast = scoring.calibration(probs, outcomes.astype(outcome_type))
    slow = slow_paths.calibration_by_points(probs, outcomes.astype(float))

    assert [b.count for b in fast.bins] == [b.count for b in slow.bins]
    assert fast.bins[8].count == slow.bins[8].count
    assert calibration_difference(fast, slow) < 1e-12


def test_calibration_outside_zero_to_one_is_binned_as_searchsorted_does():
    probs, outcomes = np.array([-0.5, 0.05, 1.5, np.nextafter(0.9, 0.0)]), [0, 1, 1, 0]
    fast = scoring.calibration(probs, outcomes)
    slow = slow_paths.calibration_by_points(probs, np.asarray(outcomes, float))
    # -0.5 and 0.05 in the first bin, 1.5 in the last, the 0.8999… in the ninth.
    assert [b.count for b in fast.bins] == [2, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    assert calibration_difference(fast, slow) < 1e-12
