"""Scoring rules, community forecast and calibration for forecast questions.

Pure maths on numpy arrays: no models, no settings, no I/O. A probability vector
is over K options; a binary question has K = 2 with p = [P(no), P(yes)], so the
outcome index 1 means Yes. Times are float seconds since the Unix epoch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

MULTIPLE_CHOICE_FLOOR = 0.001
WILSON_Z = 1.959964
CALIBRATION_BINS = 10
# Inner edges 0.1 .. 0.9: side="right" puts an edge value in the bin it opens.
_INNER_EDGES = np.arange(1, CALIBRATION_BINS) / CALIBRATION_BINS


# Proper scoring rules ----------------------------------------------------------


def brier(p: ArrayLike, outcome: int) -> float:
    """Return the Brier score Σ_k (p_k − o_k)², from 0 (best) to 2."""
    return float(brier_many(np.asarray(p, dtype=float)[np.newaxis, :], outcome)[0])


def brier_many(p: ArrayLike, outcome: int) -> np.ndarray:
    """Return the Brier score Σ_k (p_k − o_k)² of each row of an (n, K) array."""
    diff = np.array(p, dtype=float, ndmin=2)
    diff[:, outcome] -= 1.0
    return np.sum(diff * diff, axis=1)


def ranked_probability_score(p: ArrayLike, outcome: int) -> float:
    """Return the RPS (1/(K−1)) Σ_{k<K} (P_k − O_k)², P and O cumulative, 0..1."""
    p = np.asarray(p, dtype=float)[np.newaxis, :]
    return float(ranked_probability_score_many(p, outcome)[0])


def ranked_probability_score_many(p: ArrayLike, outcome: int) -> np.ndarray:
    """Return (1/(K−1)) Σ_{k<K} (P_k − O_k)² for each row of an (n, K) array."""
    p = np.array(p, dtype=float, ndmin=2)
    k = p.shape[1]
    cumulative = np.cumsum(p[:, :-1], axis=1)
    observed = (np.arange(k - 1) >= outcome).astype(float)
    return np.sum((cumulative - observed) ** 2, axis=1) / (k - 1)


def log_score(p: ArrayLike, outcome: int) -> float:
    """Return the log score ln p_outcome (0 is best, −inf for p_outcome = 0)."""
    with np.errstate(divide="ignore"):
        return float(np.log(np.asarray(p, dtype=float)[outcome]))


def baseline_score(p: ArrayLike, outcome: int) -> float:
    """Return the baseline score 100·ln(K·p_outcome)/ln K."""
    p = np.asarray(p, dtype=float)
    return float(baseline_scores(p[outcome : outcome + 1], p.size)[0])


def baseline_scores(p_outcome: ArrayLike, k: int) -> np.ndarray:
    """Return 100·ln(K·p)/ln K for each probability p given to the outcome."""
    with np.errstate(divide="ignore"):
        return 100.0 * np.log(k * np.asarray(p_outcome, dtype=float)) / math.log(k)


def peer_scores(p_outcome: ArrayLike) -> np.ndarray:
    """Return 100·(n/(n−1))·ln(p_i / geometric mean of p); NaN when n == 1."""
    with np.errstate(divide="ignore"):
        logs = np.log(np.asarray(p_outcome, dtype=float))
    n = logs.size
    if n < 2:
        return np.full(n, np.nan)
    return 100.0 * n / (n - 1) * (logs - logs.mean())


# Community forecast ------------------------------------------------------------


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


# Scoring a question over its window ------------------------------------------


@dataclass(frozen=True)
class _CommunityBrier:
    """Brier score of the community step function C(t) and its prefix integral."""

    knots: np.ndarray
    heights: np.ndarray
    prefix: np.ndarray

    @classmethod
    def build(cls, start, end, times, vectors, outcome) -> _CommunityBrier:
        """Clip the steps [h_i, h_{i+1}) to [start, end) and integrate them."""
        knots = np.clip(np.asarray(times, dtype=float), start, end)
        heights = brier_many(vectors, outcome) if knots.size else np.zeros(0)
        lengths = np.diff(knots, append=end)
        prefix = np.concatenate(([0.0], np.cumsum(heights * lengths)))
        return cls(knots, heights, prefix)

    def integral(self, t: np.ndarray) -> np.ndarray:
        """Return ∫ brier(C(s)) ds over the part of [start, t) where C exists."""
        t = np.asarray(t, dtype=float)
        if not self.knots.size:
            return np.zeros_like(t)
        step = np.searchsorted(self.knots, t, side="right") - 1
        safe = np.maximum(step, 0)
        value = self.prefix[safe] + self.heights[safe] * (t - self.knots[safe])
        return np.where(step >= 0, value, 0.0)

    def existence(self, t: np.ndarray) -> np.ndarray:
        """Return the length of the part of [start, t) where C exists."""
        t = np.asarray(t, dtype=float)
        if not self.knots.size:
            return np.zeros_like(t)
        return np.maximum(t - self.knots[0], 0.0)


@dataclass(frozen=True)
class _EntriesByUser:
    """Entries sorted by (user, time, ledger order), each held until `until`.

    `order` maps sorted positions to the input's; `group` numbers the users.
    """

    users: np.ndarray
    group: np.ndarray
    times: np.ndarray
    until: np.ndarray
    vectors: np.ndarray
    first: np.ndarray
    last: np.ndarray
    order: np.ndarray


def _entries_by_user(end, entry_times, entry_users, entry_vectors) -> _EntriesByUser:
    """Sort entries by user and time; each holds to the user's next entry or end."""
    times = np.asarray(entry_times, dtype=float)
    raw_users = np.asarray(entry_users)
    if times.size < 2 or (times[1:] >= times[:-1]).all():
        # A ledger's times never go back: a stable sort by user keeps them.
        order = stable_order(raw_users)
    else:
        order = np.lexsort((np.arange(times.size), times, raw_users))
    times = times[order]
    sorted_users = raw_users[order]
    is_first = np.ones(sorted_users.size, dtype=bool)
    is_first[1:] = sorted_users[1:] != sorted_users[:-1]
    first = np.flatnonzero(is_first)
    group = np.cumsum(is_first) - 1
    is_last = np.ones(group.size, dtype=bool)
    is_last[:-1] = is_first[1:]
    until = np.where(is_last, float(end), np.roll(times, -1))
    last = np.flatnonzero(is_last)
    vectors = np.asarray(entry_vectors, dtype=float)[order]
    return _EntriesByUser(
        sorted_users[first], group, times, until, vectors, first, last, order
    )


def stable_order(keys: ArrayLike) -> np.ndarray:
    """Return np.argsort(keys, kind="stable") for integer keys, 16 bits at a time.

    numpy radix-sorts 16-bit integers; wider keys are sorted one 16-bit digit
    per pass, least significant first, each pass stable (an LSD radix sort):
    about 4x faster than argsort on a million user ids.
    """
    keys = np.asarray(keys)
    if keys.dtype.kind not in "iu" or keys.size == 0:
        return np.argsort(keys, kind="stable")
    span = keys.astype(np.int64) - keys.min()
    order = np.arange(keys.size)
    shift, top = 0, int(span.max())
    while True:
        digit = ((span[order] >> shift) & 0xFFFF).astype(np.uint16)
        order = order[np.argsort(digit, kind="stable")]
        shift += 16
        if top >> shift == 0:
            return order


def _time_averaged(
    entries: _EntriesByUser,
    community: _CommunityBrier,
    end: float,
    scores: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Return each user's time-averaged Brier and mean excess over the community.

    `scores` are the Brier scores of the entries, in the entries' sorted order.
    """
    n_users = entries.users.size
    own = np.bincount(entries.group, scores * (entries.until - entries.times), n_users)
    first_time = entries.times[entries.first]
    waiting = community.integral(first_time)
    counted = (end - first_time) + community.existence(first_time)
    time_averaged = (own + waiting) / counted

    exists_for = community.existence(np.float64(end))
    if exists_for <= 0:
        return time_averaged, np.full(n_users, np.nan)
    born = community.knots[0]
    overlap = np.maximum(entries.until, born) - np.maximum(entries.times, born)
    own_while_exists = np.bincount(entries.group, scores * overlap, n_users)
    community_after = community.integral(np.float64(end)) - waiting
    return time_averaged, (own_while_exists - community_after) / exists_for


def time_averaged_brier(
    start: float,
    end: float,
    entry_times: ArrayLike,
    entry_users: ArrayLike,
    entry_vectors: ArrayLike,
    community_times: ArrayLike,
    community_vectors: ArrayLike,
    outcome: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return users, ∫ s_u dt / counted time, and mean of s_u − brier(C) while C exists.

    s_u(t) is the Brier of u's standing forecast once u has forecast, before
    that the community's where it exists; other instants are not counted.
    """
    entries = _entries_by_user(end, entry_times, entry_users, entry_vectors)
    community = _CommunityBrier.build(
        start, end, community_times, community_vectors, outcome
    )
    scores = brier_many(entries.vectors, outcome)
    averaged, relative = _time_averaged(entries, community, end, scores)
    return entries.users, averaged, relative


def market_points(
    entry_users: ArrayLike, entry_vectors: ArrayLike, outcome: int, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return users and Σ 100·(brier(state before entry) − brier(entry)) per user.

    The state before an entry is the previous entry in ledger order, uniform
    1/K before the first, so the total telescopes to 100·(brier(1/K) − brier(last)).
    """
    users, index = np.unique(np.asarray(entry_users), return_inverse=True)
    vectors = np.asarray(entry_vectors, dtype=float).reshape(-1, k)
    gains = _market_gains(brier_many(vectors, outcome), outcome, k)
    return users, np.bincount(index.ravel(), gains, minlength=users.size)


def _market_gains(scores: np.ndarray, outcome: int, k: int) -> np.ndarray:
    """Return 100·(brier(state before) − brier(entry)) per entry, in ledger order.

    `scores` are the entries' Brier scores in ledger order.
    """
    uniform = brier(np.full(k, 1.0 / k), outcome)
    before = np.concatenate(([uniform], scores))[:-1]
    return 100.0 * (before - scores)


@dataclass(frozen=True)
class QuestionScores:
    """Per-user scores of one resolved question, aligned with `users` (ascending).

    `final_entries` is the position in the input of each user's last entry.
    """

    users: np.ndarray
    brier: np.ndarray
    time_averaged_brier: np.ndarray
    relative_brier: np.ndarray
    log_score: np.ndarray
    baseline: np.ndarray
    peer: np.ndarray
    points: np.ndarray
    rps: np.ndarray
    entries: np.ndarray
    final_entries: np.ndarray


def score_question(
    start: float,
    end: float,
    entry_times: ArrayLike,
    entry_users: ArrayLike,
    entry_vectors: ArrayLike,
    community_times: ArrayLike,
    community_vectors: ArrayLike,
    outcome: int,
    ordered: bool,
) -> QuestionScores:
    """Score each user's entries in [start, end); final scores use their last entry."""
    entries = _entries_by_user(end, entry_times, entry_users, entry_vectors)
    community = _CommunityBrier.build(
        start, end, community_times, community_vectors, outcome
    )
    sorted_scores = brier_many(entries.vectors, outcome)
    averaged, relative = _time_averaged(entries, community, end, sorted_scores)
    final = entries.vectors[entries.last]
    k = final.shape[1]
    p_outcome = final[:, outcome]
    n_users = entries.users.size
    # The same scores in ledger order, for the market's running state.
    ledger_scores = np.empty_like(sorted_scores)
    ledger_scores[entries.order] = sorted_scores
    gains = _market_gains(ledger_scores, outcome, k)[entries.order]
    points = np.bincount(entries.group, gains, minlength=n_users)
    rps = ranked_probability_score_many(final, outcome) if ordered else None
    with np.errstate(divide="ignore"):
        logs = np.log(p_outcome)
    return QuestionScores(
        users=entries.users,
        brier=sorted_scores[entries.last],
        time_averaged_brier=averaged,
        relative_brier=relative,
        log_score=logs,
        baseline=baseline_scores(p_outcome, k),
        peer=peer_scores(p_outcome),
        points=points,
        rps=np.full(n_users, np.nan) if rps is None else rps,
        entries=np.bincount(entries.group, minlength=n_users),
        final_entries=entries.order[entries.last],
    )


# Calibration -------------------------------------------------------------------


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


def _murphy_terms(f, o, which, counts) -> dict[str, float]:
    """Return MSE and reliability, resolution, uncertainty, within-bin terms."""
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


def calibration(probs: ArrayLike, outcomes: ArrayLike) -> Calibration:
    """Return ten bins [i/10, (i+1)/10) (the last closed) and the Murphy terms."""
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
