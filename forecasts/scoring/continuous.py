"""Numeric and date questions: the scaled axis, the 201-point CDF and its scores.

A forecast is F_i = P(X ≤ x_i) on the grid u_i = i/200 of the scaled axis, linear
in u between grid points. It is stored exactly as integers in millionths; the
scores read it as floats F_i = m_i/10⁶. An outcome is a point u_y of the scaled
axis: u_y < 0 is below the range and u_y > 1 above it, so −inf and +inf stand for
"below the range" and "above the range".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from forecasts.scoring.categorical import peer_scores

GRID_CELLS = 200
GRID_POINTS = GRID_CELLS + 1
GRID = np.arange(GRID_POINTS) / GRID_CELLS
MILLION = 1_000_000
# Every step F_i − F_{i−1} is at least 0.00005, so every bucket has mass.
MIN_STEP = 50
# An open bound leaves at least 0.001 beyond it.
OPEN_TAIL = 1_000
# The baseline distribution puts 0.05 beyond each open bound, the rest evenly.
BASELINE_TAIL = 0.05
QUANTILE_LEVELS = (0.05, 0.25, 0.5, 0.75, 0.95)
# u(x) is computed in floating point: an outcome within 10⁻⁹ of a grid cell of
# grid point x_k is read as x_k, so an outcome at x_k falls in bucket k.
_GRID_SNAP = 1e-9


class ContinuousInputError(ValueError):
    """A continuous forecast input that breaks a rule, for a 400 on `field`.

    `index` is the first offending element (a grid index of the CDF, a pair of
    the quantiles, a component), or None when the input as a whole is wrong.
    """

    def __init__(self, field: str, message: str, index: int | None = None):
        super().__init__(message)
        self.field = field
        self.message = message
        self.index = index


@dataclass(frozen=True)
class ContinuousAxis:
    """A numeric or date question's range: dates are POSIX seconds."""

    range_min: float
    range_max: float
    log: bool = False
    open_lower: bool = False
    open_upper: bool = False

    def __post_init__(self):
        if not self.range_min < self.range_max:
            raise ValueError("range_min must be below range_max.")
        if self.log and self.range_min <= 0:
            raise ValueError("a log scale needs range_min above 0.")

    def to_unit(self, x: ArrayLike) -> np.ndarray:
        """Return u(x): (x − min)/(max − min), or (ln x − ln min)/(ln max − ln min).

        On a log scale x ≤ 0 is below the range: u = −inf.
        """
        x = np.asarray(x, dtype=float)
        if not self.log:
            return (x - self.range_min) / (self.range_max - self.range_min)
        low, high = math.log(self.range_min), math.log(self.range_max)
        with np.errstate(divide="ignore", invalid="ignore"):
            logs = np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), -np.inf)
        return (logs - low) / (high - low)

    def from_unit(self, u: ArrayLike) -> np.ndarray:
        """Return x(u), the inverse of u(x); u = 0 and 1 give min and max exactly."""
        u = np.asarray(u, dtype=float)
        if self.log:
            low, high = math.log(self.range_min), math.log(self.range_max)
            x = np.exp(low + u * (high - low))
        else:
            x = self.range_min + u * (self.range_max - self.range_min)
        x = np.where(u == 0.0, self.range_min, x)
        return np.where(u == 1.0, self.range_max, x)

    def grid(self) -> np.ndarray:
        """Return the grid x_0 … x_200, x_i = x(i/200)."""
        return self.from_unit(GRID)


def _number(millionths: int) -> str:
    """Return a count of millionths as a decimal with six places."""
    return f"{millionths / MILLION:.6f}"


def validate_cdf(millionths: ArrayLike, open_lower: bool, open_upper: bool) -> None:
    """Raise ContinuousInputError naming the first rule a stored CDF breaks.

    Rules, checked in this order: 201 values; F_0 = 0 (closed lower bound) or
    F_0 ≥ 0.001 (open); F_i − F_{i−1} ≥ 0.00005 for i = 1…200; F_200 = 1
    (closed upper bound) or F_200 ≤ 0.999 (open).
    """
    m = np.asarray(millionths, dtype=np.int64)
    if m.shape != (GRID_POINTS,):
        raise ContinuousInputError("cdf", f"needs {GRID_POINTS} values, got {m.size}.")
    first, last = int(m[0]), int(m[-1])
    if not open_lower and first != 0:
        message = f"closed lower bound: F[0] must be 0, got {_number(first)}."
        raise ContinuousInputError("cdf", message, 0)
    if open_lower and first < OPEN_TAIL:
        message = (
            f"open lower bound: F[0] must be at least 0.001, got {_number(first)}."
        )
        raise ContinuousInputError("cdf", message, 0)
    short = np.flatnonzero(np.diff(m) < MIN_STEP)
    if short.size:
        i = int(short[0]) + 1
        step = _number(int(m[i] - m[i - 1]))
        message = f"step rule: F[{i}] − F[{i - 1}] = {step} is below 0.00005."
        raise ContinuousInputError("cdf", message, i)
    if not open_upper and last != MILLION:
        message = f"closed upper bound: F[200] must be 1, got {_number(last)}."
        raise ContinuousInputError("cdf", message, GRID_CELLS)
    if open_upper and last > MILLION - OPEN_TAIL:
        message = (
            f"open upper bound: F[200] must be at most 0.999, got {_number(last)}."
        )
        raise ContinuousInputError("cdf", message, GRID_CELLS)


def cdf_strings(millionths: ArrayLike) -> list[str]:
    """Return a stored CDF as fixed six-decimal strings, exactly, for hashing."""
    return [
        f"{m // MILLION}.{m % MILLION:06d}" for m in np.asarray(millionths).tolist()
    ]


def cdf_floats(millionths: ArrayLike) -> np.ndarray:
    """Return stored CDFs (millionths) as the probabilities the scores read."""
    return np.asarray(millionths, dtype=float) / MILLION


def baseline_cdf(open_lower: bool, open_upper: bool) -> np.ndarray:
    """Return the baseline CDF in millionths: 0.05 beyond each open bound, even inside.

    It is the market state before a question's first entry and gives β_b.
    """
    tail = round(BASELINE_TAIL * MILLION)
    inner = MILLION - tail * (int(open_lower) + int(open_upper))
    start = tail if open_lower else 0
    return start + inner * np.arange(GRID_POINTS, dtype=np.int64) // GRID_CELLS


def outcome_bucket(outcome: float) -> int:
    """Return b: 0 below the range, 201 above it, else max(1, ⌈200·u_y⌉)."""
    if math.isnan(outcome):
        raise ValueError("the outcome must be a number.")
    if outcome < 0.0:
        return 0
    if outcome > 1.0:
        return GRID_POINTS
    return max(1, math.ceil(GRID_CELLS * outcome - _GRID_SNAP))


def pmf(cdfs: ArrayLike) -> np.ndarray:
    """Return the 202 bucket masses F_0, F_k − F_{k−1} (k = 1…200), 1 − F_200."""
    f = np.asarray(cdfs, dtype=float)
    return np.diff(f, axis=-1, prepend=0.0, append=1.0)


def outcome_mass(cdfs: ArrayLike, outcome: float) -> np.ndarray:
    """Return pmf_b, the mass each row of an (n, 201) array gives the outcome."""
    f = np.array(cdfs, dtype=float, ndmin=2)
    b = outcome_bucket(outcome)
    if b == 0:
        return f[:, 0]
    if b == GRID_POINTS:
        return 1.0 - f[:, -1]
    return f[:, b] - f[:, b - 1]


def _squares(a, b):
    """Return a² + ab + b²: a line from a to b over h has ∫ F² = h/3 of it."""
    return a * a + a * b + b * b


def _row_squares(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return Σ a² + ab + b² along each row, without (n, 200) temporaries."""
    return (
        np.einsum("ij,ij->i", a, a)
        + np.einsum("ij,ij->i", a, b)
        + np.einsum("ij,ij->i", b, b)
    )


def crps_many(cdfs: ArrayLike, outcome: float) -> np.ndarray:
    """Return ∫₀¹ (F(u) − 1{u ≥ u_y})² du for each row, exactly, u_y clamped to [0, 1].

    F is linear on each cell, so each cell's integral is h·(a² + ab + b²)/3 for
    F (below u_y) or 1 − F (above it), h = 1/200; the cell holding u_y splits.
    """
    f = np.array(cdfs, dtype=float, ndmin=2)
    y = min(max(float(outcome), 0.0), 1.0)
    k = min(int(y * GRID_CELLS), GRID_CELLS - 1)
    t = y * GRID_CELLS - k
    below = _row_squares(f[:, :k], f[:, 1 : k + 1])
    rest = 1.0 - f[:, k + 1 :]
    above = _row_squares(rest[:, :-1], rest[:, 1:])
    a, b = f[:, k], f[:, k + 1]
    m = a + t * (b - a)
    split = t * _squares(a, m) + (1.0 - t) * _squares(1.0 - m, 1.0 - b)
    return (below + above + split) / (3 * GRID_CELLS)


def crps(cdf: ArrayLike, outcome: float) -> float:
    """Return the CRPS ∫₀¹ (F(u) − 1{u ≥ u_y})² du of one CDF, from 0 to 1."""
    return float(crps_many(np.asarray(cdf, dtype=float)[np.newaxis, :], outcome)[0])


def continuous_brier_many(cdfs: ArrayLike, outcome: float) -> np.ndarray:
    """Return 2·CRPS of each row: the Brier score (0…2) averaged over thresholds.

    Same call as categorical.brier_many(vectors, outcome), so the time-averaged
    machinery can score continuous entries with it.
    """
    return 2.0 * crps_many(cdfs, outcome)


def continuous_brier(cdf: ArrayLike, outcome: float) -> float:
    """Return 2·CRPS of one CDF."""
    return 2.0 * crps(cdf, outcome)


def continuous_log_scores(cdfs: ArrayLike, outcome: float) -> np.ndarray:
    """Return ln pmf_b for each row."""
    with np.errstate(divide="ignore"):
        return np.log(outcome_mass(cdfs, outcome))


def continuous_baseline_scores(
    cdfs: ArrayLike, outcome: float, open_lower: bool, open_upper: bool
) -> np.ndarray:
    """Return 50·ln(pmf_b/β_b), β the baseline distribution's bucket masses."""
    beta = outcome_mass(cdf_floats(baseline_cdf(open_lower, open_upper)), outcome)[0]
    if beta <= 0.0:
        raise ValueError("the outcome lies beyond a closed bound.")
    with np.errstate(divide="ignore"):
        return 50.0 * np.log(outcome_mass(cdfs, outcome) / beta)


def continuous_peer_scores(cdfs: ArrayLike, outcome: float) -> np.ndarray:
    """Return 50·n/(n−1)·ln(pmf_b / geometric mean of pmf_b); NaN when n = 1."""
    return 0.5 * peer_scores(outcome_mass(cdfs, outcome))


def cdf_quantiles(
    cdf: ArrayLike, axis: ContinuousAxis, levels: ArrayLike = QUANTILE_LEVELS
) -> tuple[np.ndarray, np.ndarray]:
    """Return the quantiles of a CDF as (u, x), inverting the piecewise-linear F.

    The p-quantile is the least u with F(u) ≥ p; one in the mass beyond an open
    bound is −inf (below the range) or +inf (above it), in u and in x.
    """
    f = np.asarray(cdf, dtype=float)
    p = np.asarray(levels, dtype=float)
    i = np.searchsorted(f, p, side="left")
    lo = np.clip(i - 1, 0, GRID_CELLS - 1)
    rise = f[lo + 1] - f[lo]
    frac = np.clip((p - f[lo]) / np.where(rise > 0, rise, 1.0), 0.0, 1.0)
    u = (lo + frac) / GRID_CELLS
    u = np.where(i == 0, np.where(p < f[0], -np.inf, 0.0), u)
    u = np.where(i == GRID_POINTS, np.inf, u)
    x = np.where(np.isfinite(u), axis.from_unit(np.where(np.isfinite(u), u, 0.0)), u)
    return u, x
