"""Proper scoring rules of categorical forecasts: Brier, RPS, log, baseline, peer."""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike


def brier(p: ArrayLike, outcome: int) -> float:
    """Return the Brier score Σ_k (p_k − o_k)², from 0 (best) to 2."""
    return float(brier_many(np.asarray(p, dtype=float)[np.newaxis, :], outcome)[0])


def brier_many(p: ArrayLike, outcome: int | ArrayLike) -> np.ndarray:
    """Return the Brier score Σ_k (p_k − o_k)² of each row of an (n, K) array.

    Rows are probability vectors (they sum to 1, as every stored forecast
    does); outcome is one index for every row, or one per row.

    Two options (K = 2): with p_0 = 1 − p_1 the sum is 2·(p_1 − o_1)², one strided
    pass over the yes column (the result differs from the general form by at
    most a few ulps, from p_0 + p_1 = 1 in floating point).
    More options: Σ p_k² − 2·p_outcome + 1 a column at a time (numpy's
    row-wise sums over a handful of columns cost several times more than K
    column passes), into one scratch buffer.
    """
    p = np.asarray(p, dtype=float)
    if p.ndim == 1:
        p = p[np.newaxis, :]
    n, k = p.shape
    if k == 2:
        happened = (np.asarray(outcome) == 1) if np.ndim(outcome) else outcome == 1
        total = np.subtract(p[:, 1], happened, dtype=float)
        total *= total
        total += total
        return total
    if np.ndim(outcome) == 0:
        given = p[:, int(outcome)] * 2.0
    else:
        flat = np.ascontiguousarray(p).ravel()
        given = flat[np.arange(0, n * k, k) + np.asarray(outcome)]
        given += given
    total = np.square(p[:, 0])
    scratch = np.empty(n)
    for column in range(1, k):
        total += np.square(p[:, column], out=scratch)
    total -= given
    total += 1.0
    return total


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
