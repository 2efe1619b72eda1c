"""The community forecast: a recency-weighted median of standing forecasts."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

MULTIPLE_CHOICE_FLOOR = 0.001


def recency_weights(n: int) -> np.ndarray:
    """Return weights exp(√i − √N) for i = 1..N, oldest first; ones when N ≤ 2."""
    if n <= 2:
        return np.ones(n)
    return np.exp(np.sqrt(np.arange(1, n + 1)) - math.sqrt(n))


def weighted_median(values: ArrayLike, weights: ArrayLike) -> float:
    """Return (v_L + v_R)/2, L and R the first sorted cumulative weights ≥ and > ½."""
    values = np.asarray(values, dtype=float)[:, np.newaxis]
    return float(_weighted_medians(values, np.asarray(weights, dtype=float))[0])


def _weighted_medians(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Return the weighted median of each column of an (N, K) array."""
    if values.shape[0] == 0:
        return np.full(values.shape[1], np.nan)
    order = np.argsort(values, axis=0, kind="stable")
    ordered = np.take_along_axis(values, order, axis=0)
    cumulative = np.cumsum(weights[order], axis=0)
    # Halving is exact in floating point, unlike dividing every sum by the total.
    half = cumulative[-1] / 2.0
    low = np.argmax(cumulative >= half, axis=0)
    high = np.argmax(cumulative > half, axis=0)
    columns = np.arange(values.shape[1])
    return (ordered[low, columns] + ordered[high, columns]) / 2.0


def community_forecast(vectors: ArrayLike, binary: bool) -> np.ndarray:
    """Return the recency-weighted median forecast of (N, K) vectors, oldest first.

    Binary: m = weighted median of P(yes), result [1 − m, m]. Multiple choice:
    q = m/Σm per option, then 0.001 + (1 − 0.001·K)·q.
    """
    vectors = np.array(vectors, dtype=float, ndmin=2)
    weights = recency_weights(vectors.shape[0])
    columns = vectors[:, 1:2] if binary else vectors
    return _from_medians(_weighted_medians(columns, weights), binary)


def _from_medians(medians: np.ndarray, binary: bool) -> np.ndarray:
    """Return the community vector from the per-option (binary: P(yes)) medians."""
    if binary:
        yes = medians[0]
        return np.array([1.0 - yes, yes])
    k = medians.size
    total = medians.sum()
    # Every option's median can be 0 when forecasters are certain of different ones.
    shares = medians / total if total > 0 else np.full(k, 1.0 / k)
    return MULTIPLE_CHOICE_FLOOR + (1.0 - MULTIPLE_CHOICE_FLOOR * k) * shares


def community_boundaries(
    first_entry_time: float, end_time: float, step: float
) -> np.ndarray:
    """Return the multiples of step strictly between first_entry_time and end_time."""
    first = math.floor(first_entry_time / step)
    last = math.ceil(end_time / step)
    candidates = np.arange(first, last + 1, dtype=float) * step
    inside = (candidates > first_entry_time) & (candidates < end_time)
    return candidates[inside]


class _StandingForecasts:
    """Each user's latest ledger position, advanced once through the ledger.

    `positions` stays sorted (oldest latest entry first): each step removes the
    movers' old positions and appends their new ones, never re-sorting all.
    """

    def __init__(self, user_index: np.ndarray, n_users: int):
        self._users = user_index
        self._latest = np.full(n_users, -1, dtype=np.int64)
        self._done = 0
        self.positions = np.empty(0, dtype=np.int64)

    def advance(self, stop: int) -> bool:
        """Take in ledger entries up to position stop (exclusive); return if any."""
        if stop <= self._done:
            return False
        chunk = np.arange(self._done, stop)
        movers = np.unique(self._users[chunk])
        before = self._latest[movers]
        np.maximum.at(self._latest, self._users[chunk], chunk)
        gone = np.searchsorted(self.positions, before[before >= 0])
        kept = np.delete(self.positions, gone)
        self.positions = np.concatenate([kept, np.sort(self._latest[movers])])
        self._done = stop
        return True


# Weights below e^-60 of the newest forecaster's cannot move a float64 sum.
_NEGLIGIBLE_EXPONENT = 60.0


class _MedianAtBoundary:
    """The weighted medians of the standing forecasts, equal to the definition's.

    Values become integer codes that sort the same way. The fast path sums the
    weights of the newest forecasters per code (a histogram, skipping weights
    below e^-60 of the newest) and takes the code where the cumulative sum
    crosses half. It can differ from _weighted_medians only if the crossing
    lies within a bound on rounding and skipped weight of a code's edge; then
    the definition's own sort and running sum decide, so every result is the
    same to the last bit.
    """

    def __init__(self, vectors: np.ndarray, binary: bool):
        self.values = vectors[:, 1:2] if binary else vectors
        columns = [np.unique(c, return_inverse=True) for c in self.values.T]
        self.distinct = [distinct for distinct, _ in columns]
        self.codes = [_radix_codes(codes.ravel(), d.size) for d, codes in columns]
        self._top = (-1, 0, np.ones(0), 0.0)

    def top_weights(self, n: int) -> tuple[int, np.ndarray, float]:
        """Return the first counted rank, the weights from it, a bound on the rest."""
        if self._top[0] != n:
            root = math.sqrt(n)
            cut = math.ceil((root - _NEGLIGIBLE_EXPONENT) ** 2) if n > 3600 else 0
            if cut:
                weights = np.exp(np.sqrt(np.arange(cut + 1, n + 1)) - root)
            else:
                weights = recency_weights(n)
            skipped = cut * math.exp(math.sqrt(cut) - root)
            self._top = (n, cut, weights, skipped)
        return self._top[1:]

    def medians(self, positions: np.ndarray) -> np.ndarray:
        """Return the weighted median of each column over these ledger positions."""
        cut, weights, skipped = self.top_weights(positions.size)
        medians = np.empty(len(self.codes))
        for j, codes in enumerate(self.codes):
            fast = self._histogram_median(j, codes[positions[cut:]], weights, skipped)
            medians[j] = self._exact(j, positions) if fast is None else fast
        return medians

    def _histogram_median(self, j: int, codes, weights, skipped) -> float | None:
        """Return the median from per-code weight sums, or None if too close to call."""
        cumulative = np.cumsum(np.bincount(codes, weights, self.distinct[j].size))
        total = cumulative[-1]
        half = total / 2.0
        at = int(np.searchsorted(cumulative, half, side="left"))
        below = cumulative[at - 1] if at else 0.0
        # Running sums of n terms are within n·2⁻⁵³·total of the exact sums.
        rounding = 4.0 * (weights.size + cumulative.size + 2) * 2.0**-53 * total
        margin = rounding + 2.0 * skipped
        if half - below <= margin or cumulative[at] - half <= margin:
            return None
        return float(self.distinct[j][at])

    def _exact(self, j: int, positions: np.ndarray) -> float:
        """Return the median exactly as _weighted_medians computes it."""
        weights = recency_weights(positions.size)
        order = np.argsort(self.codes[j][positions], kind="stable")
        cumulative = np.cumsum(weights[order])
        half = cumulative[-1] / 2.0
        low = int(np.searchsorted(cumulative, half, side="left"))
        high = int(np.searchsorted(cumulative, half, side="right"))
        low_at, high_at = positions[order[[low, high]]]
        return (self.values[low_at, j] + self.values[high_at, j]) / 2.0


def _radix_codes(codes: np.ndarray, distinct: int) -> np.ndarray:
    """Return the codes as uint16 where they fit, which numpy radix-sorts."""
    return codes.astype(np.uint16 if distinct <= 1 << 16 else np.int64)


def community_series(
    entry_times: ArrayLike,
    entry_users: ArrayLike,
    entry_vectors: ArrayLike,
    boundaries: ArrayLike,
    binary: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the community forecast and forecaster count at each boundary h.

    Entries are in ledger order and boundaries ascending; a user's forecast
    stands at h if it is their latest entry with time < h. A boundary with no
    forecaster gives NaN; one with no new entry repeats the one before.
    """
    times = np.asarray(entry_times, dtype=float)
    vectors = np.asarray(entry_vectors, dtype=float)
    boundaries = np.asarray(boundaries, dtype=float)
    users, user_index = np.unique(np.asarray(entry_users), return_inverse=True)
    standing = _StandingForecasts(user_index.ravel(), users.size)
    median = _MedianAtBoundary(vectors, binary)
    series = np.full((boundaries.size, vectors.shape[-1]), np.nan)
    forecasters = np.zeros(boundaries.size, dtype=np.int64)
    stops = np.searchsorted(times, boundaries, side="left")
    for b, stop in enumerate(stops):
        if not standing.advance(int(stop)) and b:
            series[b], forecasters[b] = series[b - 1], forecasters[b - 1]
            continue
        forecasters[b] = standing.positions.size
        if forecasters[b]:
            series[b] = _from_medians(median.medians(standing.positions), binary)
    return series, forecasters
