"""The previous, point-by-point implementations, kept for agreement checks.

Each speed-up is checked against the code it replaced, on the same data, in
the benchmark run and in tests/bench/test_fast_paths.py.
"""

import numpy as np

from forecasts.scoring.calibration import (
    _INNER_EDGES,
    CALIBRATION_BINS,
    Calibration,
    _calibration_bin,
)


def calibration_by_points(probs, outcomes) -> Calibration:
    """scoring.calibration before it worked from sums (commit cac9bb8)."""
    f = np.asarray(probs, dtype=float).ravel()
    o = np.asarray(outcomes, dtype=float).ravel()
    which = np.searchsorted(_INNER_EDGES, f, side="right")
    counts = np.bincount(which, minlength=CALIBRATION_BINS)
    f_sums = np.bincount(which, f, CALIBRATION_BINS)
    o_sums = np.bincount(which, o, CALIBRATION_BINS)
    bins = tuple(
        _calibration_bin(i, int(counts[i]), f_sums[i], o_sums[i])
        for i in range(CALIBRATION_BINS)
    )
    if f.size == 0:
        return Calibration(bins, 0, None, None, None, None, None)
    return Calibration(bins, int(f.size), **_murphy_terms(f, o, which, counts))


def _murphy_terms(f, o, which, counts) -> dict[str, float]:
    n = f.size
    filled = counts > 0
    f_bar = np.bincount(which, f, CALIBRATION_BINS)[filled] / counts[filled]
    o_bar = np.bincount(which, o, CALIBRATION_BINS)[filled] / counts[filled]
    base_rate = o.mean()
    slot = np.cumsum(filled) - 1
    f_dev = f - f_bar[slot[which]]
    o_dev = o - o_bar[slot[which]]
    return {
        "mean_squared_error": float(np.mean((f - o) ** 2)),
        "reliability": float(np.sum(counts[filled] * (f_bar - o_bar) ** 2) / n),
        "resolution": float(np.sum(counts[filled] * (o_bar - base_rate) ** 2) / n),
        "uncertainty": float(base_rate * (1.0 - base_rate)),
        "within_bin": float(np.sum(f_dev**2 - 2.0 * f_dev * o_dev) / n),
    }


def numpy_binning(yes: np.ndarray, outcomes: np.ndarray):
    """Plain numpy binning into tenths: each bin's count, Σp and Σo."""
    which = np.minimum((yes * CALIBRATION_BINS).astype(np.intp), CALIBRATION_BINS - 1)
    return (
        np.bincount(which, minlength=CALIBRATION_BINS),
        np.bincount(which, yes, CALIBRATION_BINS),
        np.bincount(which, outcomes, CALIBRATION_BINS),
    )


def numpy_brier(yes: np.ndarray, outcomes: np.ndarray) -> float:
    """Plain numpy mean Brier on the 0..1 scale: ((p − o)²).mean()."""
    return float(((yes - outcomes) ** 2).mean())
