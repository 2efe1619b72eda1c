"""The community forecast: a recency-weighted median of standing forecasts."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

from forecasts.scoring.windows import stable_order

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

    The standing positions stay in ascending order in a buffer: each step marks
    the movers' old positions dead and appends their new ones (all newer than
    any before), never re-sorting. Dead slots are dropped once they are an
    eighth of the living, so reading the newest m positions scans about m.
    Integer arrays given as `carry` (indexed by ledger position) are kept in
    buffers beside the positions, so the newest values are read without a
    gather. Each standing entry's slot is kept too, so marking the dead needs
    no search.
    """

    def __init__(self, user_index: np.ndarray, n_users: int, carry=()):
        # Each entry's user's previous and next entry (-1 and n when none),
        # so a step reads who moved from slices instead of grouping by user.
        n = user_index.size
        order = stable_order(user_index)
        same = user_index[order[1:]] == user_index[order[:-1]]
        self._previous = np.full(n, -1, dtype=np.int64)
        self._previous[order[1:][same]] = order[:-1][same]
        self._next = np.full(n, n, dtype=np.int64)
        self._next[order[:-1][same]] = order[1:][same]
        # Each standing entry's slot in the buffers (kept up to date when
        # they are compacted), so the dead are marked without a search.
        self._slot = np.zeros(n, dtype=np.int64)
        self._done = 0
        self._carry = list(carry)
        capacity = max(n_users, 1)
        self._buffers = [np.empty(capacity, dtype=np.int64)]
        # Carried as intp, which np.bincount reads without a cast.
        self._buffers += [np.empty(capacity, dtype=np.intp) for _ in self._carry]
        self._dead = np.zeros(capacity, dtype=bool)
        self._size = 0
        self._dead_count = 0

    @property
    def count(self) -> int:
        """Return how many forecasters stand."""
        return self._size - self._dead_count

    def advance(self, stop: int) -> bool:
        """Take in ledger entries up to position stop (exclusive); return if any."""
        start = self._done
        if stop <= start:
            return False
        # A mover's first entry in the step points back to their standing one;
        # their last entry in the step is the one that now stands.
        previous = self._previous[start:stop]
        before = previous[(previous >= 0) & (previous < start)]
        if before.size:
            self._dead[self._slot[before]] = True
            self._dead_count += before.size
        self._append(start + np.flatnonzero(self._next[start:stop] >= stop))
        if 8 * self._dead_count > self.count:
            self._compact()
        self._done = stop
        return True

    def newest(self, m: int) -> np.ndarray:
        """Return the newest m standing positions, oldest first."""
        return self._newest(m, self._buffers[:1])[0]

    def newest_carried(self, m: int) -> list[np.ndarray]:
        """Return each carried array's values at the newest m standing positions."""
        return self._newest(m, self._buffers[1:])

    def positions(self) -> np.ndarray:
        """Return every standing position, oldest first."""
        return self.newest(self.count)

    def _newest(self, m: int, buffers: list[np.ndarray]) -> list[np.ndarray]:
        size = self._size
        if m <= 0 or self._dead_count == 0:
            return [buffer[size - max(m, 0) : size] for buffer in buffers]
        # The last m + dead slots hold at least m living ones; first try as
        # many as the overall share of the living suggests (the newest slots
        # die least, so it is usually enough).
        enough = min(size, m + self._dead_count)
        guess = int(m * size / self.count * 1.05) + 16
        for span in (guess, enough) if guess < enough else (enough,):
            start = size - span
            alive = ~self._dead[start:size]
            found = int(np.count_nonzero(alive))
            if found >= m:
                break
        return [buffer[start:size][alive][found - m :] for buffer in buffers]

    def _append(self, positions: np.ndarray) -> None:
        end = self._size + positions.size
        if end > self._dead.size:
            self._compact(room=end)
            end = self._size + positions.size
        self._buffers[0][self._size : end] = positions
        self._slot[positions] = np.arange(self._size, end)
        for buffer, values in zip(self._buffers[1:], self._carry, strict=True):
            buffer[self._size : end] = values[positions]
        self._size = end

    def _compact(self, room: int = 0) -> None:
        alive = ~self._dead[: self._size]
        capacity = max(self._dead.size, 2 * max(room - self._dead_count, 0), 1)
        for i, buffer in enumerate(self._buffers):
            kept = buffer[: self._size][alive]
            self._buffers[i] = np.empty(capacity, dtype=buffer.dtype)
            self._buffers[i][: kept.size] = kept
        self._dead = np.zeros(capacity, dtype=bool)
        self._size, self._dead_count = self.count, 0
        self._slot[self._buffers[0][: self._size]] = np.arange(self._size)


# Weights below e^-25 of the newest forecaster's are left out of the
# histogram: their sum, bounded and added to the margin, settles the median
# alone only when the crossing lies within ~1e-8 of a code's edge.
_NEGLIGIBLE_EXPONENT = 25.0
# Codes per block when looking for the median's code.
_BLOCK = 128
# The crossing of half does not change when every weight is multiplied by one
# number, so the histogram takes exp(√i − R) for R the largest root of a band
# of roots this wide: one table of exponentials serves every count whose root
# lies in the band (an exp per weight at every boundary cost more than the
# histogram). The smallest counted weight is then above e^-(25 + 32).
_BAND = 32.0
# A bound on how far, relative to it, each such weight (its subtraction
# rounded once, its exp within 16 ulp) and the definition's own can stray
# from exp(√i − √n) times the band's factor, in units of 2⁻⁵³.
_WEIGHT_ERROR = 2 * _NEGLIGIBLE_EXPONENT + _BAND + 2 * 16


class _MedianAtBoundary:
    """The weighted medians of the standing forecasts, equal to the definition's.

    Values become integer codes that sort the same way. The fast path sums the
    weights of the newest forecasters per code (a histogram, skipping weights
    below e^-25 of the newest) and takes the code where the cumulative sum
    crosses half. It can differ from _weighted_medians only if the crossing
    lies within a bound on rounding and skipped weight of a code's edge; then
    the definition's own sort and running sum decide, so every result is the
    same to the last bit.
    """

    def __init__(self, vectors: np.ndarray, binary: bool, most: int):
        self._roots = np.sqrt(np.arange(1, most + 1, dtype=float))
        self._bands: dict[int, tuple[int, np.ndarray, float]] = {}
        self.values = vectors[:, 1:2] if binary else vectors
        columns = [np.unique(c, return_inverse=True) for c in self.values.T]
        self.distinct = [distinct for distinct, _ in columns]
        self.codes = [_radix_codes(codes.ravel(), d.size) for d, codes in columns]
        self._widths = [-(-d.size // _BLOCK) * _BLOCK for d in self.distinct]
        self._top = (-1, 0, np.ones(0), 0.0)

    def top_weights(self, n: int) -> tuple[int, np.ndarray, float]:
        """Return the first counted rank, the weights from it, a bound on the rest.

        The weights are the definition's times one factor (the same for all
        of them, whatever it is), and so is the bound.
        """
        if self._top[0] == n:
            return self._top[1:]
        if n <= 2:
            self._top = (n, 0, recency_weights(n), 0.0)
            return self._top[1:]
        root = math.sqrt(n)
        counted = n > _NEGLIGIBLE_EXPONENT**2
        cut = math.ceil((root - _NEGLIGIBLE_EXPONENT) ** 2) if counted else 0
        first, table, reference = self._band(int(root // _BAND))
        skipped = cut * math.exp(math.sqrt(cut) - reference)
        self._top = (n, cut, table[cut - first : n - first], skipped)
        return self._top[1:]

    def _band(self, band: int) -> tuple[int, np.ndarray, float]:
        """Return the band's first rank, exp(√i − R) from it, and R."""
        if band not in self._bands:
            last = min(self._roots.size, int(((band + 1) * _BAND) ** 2))
            low = band * _BAND - _NEGLIGIBLE_EXPONENT
            first = math.ceil(low**2) if low > 0 else 0
            reference = float(self._roots[last - 1])
            table = np.exp(self._roots[first:last] - reference)
            self._bands[band] = (first, table, reference)
        return self._bands[band]

    def medians(self, standing: _StandingForecasts) -> np.ndarray:
        """Return the weighted median of each column over the standing forecasts."""
        n = standing.count
        cut, weights, skipped = self.top_weights(n)
        newest = standing.newest_carried(n - cut)
        medians = np.empty(len(self.codes))
        for j, codes in enumerate(newest):
            fast = self._histogram_median(j, n, codes, weights, skipped)
            if fast is None:
                fast = self._exact(j, standing.positions())
            medians[j] = fast
        return medians

    def _histogram_median(self, j: int, n: int, codes, weights, skipped):
        """Return the median from per-code weight sums, or None if too close to call.

        The crossing of half is found among sums of blocks of codes, then
        within the one block that holds it (a running sum over every code
        cost more than the histogram).
        """
        # Python floats and array methods: this runs at every boundary.
        sums = np.bincount(codes, weights, self._widths[j])
        blocks = sums.reshape(-1, _BLOCK).sum(axis=1).cumsum()
        total = float(blocks[-1])
        half = total / 2.0
        block = int(blocks.searchsorted(half))
        before = float(blocks[block - 1]) if block else 0.0
        inside = sums[block * _BLOCK : (block + 1) * _BLOCK].cumsum()
        inside += before
        at = int(inside.searchsorted(half))
        # A running sum of k terms is within k·2⁻⁵³·(the sum of their
        # magnitudes) of the exact sum; the definition adds all n weights.
        # Each weight strays from the definition's, scaled, by _WEIGHT_ERROR.
        terms = n + sums.size + 2 * _BLOCK + 2 + _WEIGHT_ERROR
        margin = 4.0 * terms * 2.0**-53 * total + 2.0 * skipped
        if at == _BLOCK:
            return None
        below = float(inside[at - 1]) if at else before
        if half - below <= margin or float(inside[at]) - half <= margin:
            return None
        return float(self.distinct[j][block * _BLOCK + at])

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
    median = _MedianAtBoundary(vectors, binary, users.size)
    standing = _StandingForecasts(user_index.ravel(), users.size, median.codes)
    series = np.full((boundaries.size, vectors.shape[-1]), np.nan)
    forecasters = np.zeros(boundaries.size, dtype=np.int64)
    stops = np.searchsorted(times, boundaries, side="left")
    for b, stop in enumerate(stops):
        if not standing.advance(int(stop)) and b:
            series[b], forecasters[b] = series[b - 1], forecasters[b - 1]
            continue
        forecasters[b] = standing.count
        if forecasters[b]:
            series[b] = _from_medians(median.medians(standing), binary)
    return series, forecasters
