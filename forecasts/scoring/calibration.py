"""Calibration: binned forecasts, Wilson intervals and the Murphy decomposition."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

WILSON_Z = 1.959964
CALIBRATION_BINS = 10
# Inner edges 0.1 .. 0.9: side="right" puts an edge value in the bin it opens.
_INNER_EDGES = np.arange(1, CALIBRATION_BINS) / CALIBRATION_BINS


@dataclass(frozen=True)
class CalibrationBin:
    """One probability bin: forecasts made in it and how often they came true."""

    lower: float
    upper: float
    count: int
    mean_forecast: float | None
    observed_frequency: float | None
    ci_low: float | None
    ci_high: float | None


@dataclass(frozen=True)
class Calibration:
    """Reliability table and the Murphy decomposition of the mean squared error.

    mean_squared_error = reliability − resolution + uncertainty + within_bin.
    """

    bins: tuple[CalibrationBin, ...]
    n: int
    mean_squared_error: float | None
    reliability: float | None
    resolution: float | None
    uncertainty: float | None
    within_bin: float | None


def wilson_interval(
    successes: float, n: int, z: float = WILSON_Z
) -> tuple[float, float]:
    """Return (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), p̂ = k/n."""
    p = successes / n
    denominator = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / n + z * z / (4 * n * n)) / denominator
    return max(centre - half, 0.0), min(centre + half, 1.0)


def _calibration_bin(index: int, count: int, forecast_sum, outcome_sum):
    """Return bin `index` of ten, with None for the averages of an empty bin."""
    lower, upper = index / CALIBRATION_BINS, (index + 1) / CALIBRATION_BINS
    if count == 0:
        return CalibrationBin(lower, upper, 0, None, None, None, None)
    ci_low, ci_high = wilson_interval(float(outcome_sum), count)
    mean_forecast = float(forecast_sum / count)
    observed = float(outcome_sum / count)
    return CalibrationBin(lower, upper, count, mean_forecast, observed, ci_low, ci_high)


def tenths(f: np.ndarray) -> np.ndarray:
    """Return ⌊10·f⌋ for f in [0, 1]: each probability's bin, 10 for f = 1.

    Equal to np.searchsorted(_INNER_EDGES, f, side="right") below 1, at a
    fifth of its cost: ⌊10·f⌋ as computed in floating point lands in the same
    bin except for the one double just below 0.9, whose product rounds up to
    9.0 (a test checks 200,000 doubles either side of every edge). Anything
    outside [0, 1], NaN included, is searched instead.
    """
    if f.size == 0 or not (f.min() >= 0.0 and f.max() <= 1.0):
        return np.searchsorted(_INNER_EDGES, f, side="right")
    which = (f * CALIBRATION_BINS).astype(np.intp)
    below = f == _BELOW_NINE_TENTHS
    if below.any():
        which[below] = CALIBRATION_BINS - 2
    return which


_BELOW_NINE_TENTHS = np.nextafter(0.9, 0.0)
# Bins 0..9, and 10 for f = 1, folded into the last bin (closed at 1).
_SLOTS = CALIBRATION_BINS + 1


def calibration(probs: ArrayLike, outcomes: ArrayLike) -> Calibration:
    """Return ten bins [i/10, (i+1)/10) (the last closed) and the Murphy terms.

    Outcomes are 0 or 1. Weighted bincounts give each bin's n, Σf, Σf², Σo and
    Σf·o, and calibration_from_sums derives the rest: with integer outcomes,
    three bincounts over (bin, outcome) pairs; otherwise five over bins.
    """
    f = np.asarray(probs, dtype=float).ravel()
    o = np.asarray(outcomes).ravel()
    which = tenths(f)
    if o.dtype.kind in "biu" and (o.size == 0 or (o.min() >= 0 and o.max() <= 1)):
        # key = 2·bin + outcome, in place: bincounts over (bin, outcome) pairs.
        key = np.multiply(which, 2, out=which)
        np.add(key, o, out=key, casting="unsafe")
        split = [
            np.bincount(key, weights, 2 * _SLOTS).reshape(_SLOTS, 2)
            for weights in (None, f, f * f)
        ]
        (n, f_sums, q_sums) = (column.sum(axis=1) for column in split)
        sums = [n, f_sums, q_sums, split[0][:, 1], split[1][:, 1]]
    else:
        o = o.astype(float, copy=False)
        sums = [
            np.bincount(which, weights, _SLOTS)
            for weights in (None, f, f * f, o, f * o)
        ]
    for column in sums:
        column[-2] += column[-1]
    counts, *rest = (column[:-1] for column in sums)
    return calibration_from_sums(counts, *rest)


def calibration_from_sums(
    counts: ArrayLike,
    forecast_sums: ArrayLike,
    forecast_squares: ArrayLike,
    outcome_sums: ArrayLike,
    cross_sums: ArrayLike,
) -> Calibration:
    """Return the calibration from per-bin n, Σf, Σf², Σo and Σf·o (o is 0 or 1).

    With F, O, Q, X those sums in a bin and f̄ = F/n, ō = O/n: MSE = (ΣQ − 2ΣX +
    ΣO)/N, and the within-bin term is Σ [(Q − F·f̄) − 2(X − F·ō)] / N.
    """
    counts = np.asarray(counts, dtype=np.int64)
    f, o = np.asarray(forecast_sums, float), np.asarray(outcome_sums, float)
    bins = tuple(
        _calibration_bin(i, int(counts[i]), f[i], o[i]) for i in range(CALIBRATION_BINS)
    )
    n = int(counts.sum())
    if n == 0:
        return Calibration(bins, 0, None, None, None, None, None)
    filled = counts > 0
    size, f, o = counts[filled], f[filled], o[filled]
    q = np.asarray(forecast_squares, float)[filled]
    x = np.asarray(cross_sums, float)[filled]
    f_bar, o_bar, base_rate = f / size, o / size, o.sum() / n
    return Calibration(
        bins,
        n,
        mean_squared_error=float((q.sum() - 2.0 * x.sum() + o.sum()) / n),
        reliability=float(np.sum(size * (f_bar - o_bar) ** 2) / n),
        resolution=float(np.sum(size * (o_bar - base_rate) ** 2) / n),
        uncertainty=float(base_rate * (1.0 - base_rate)),
        within_bin=float(np.sum((q - f * f_bar) - 2.0 * (x - f * o_bar)) / n),
    )
