"""The community forecast of a numeric or date question: a weighted mean of CDFs."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from forecasts.scoring.community import _StandingForecasts, recency_weights


def continuous_community(cdfs: ArrayLike) -> np.ndarray:
    """Return Σ w_n·F_n / Σ w_n point by point, w_n = exp(√n − √N), oldest first.

    A weighted mean of valid CDFs with the same bounds is valid: every step and
    bound rule is linear, as Metaculus aggregates continuous questions.
    """
    f = np.array(cdfs, dtype=float, ndmin=2)
    weights = recency_weights(f.shape[0])
    return weights @ f / weights.sum()


def continuous_community_series(
    entry_times: ArrayLike,
    entry_users: ArrayLike,
    entry_cdfs: ArrayLike,
    boundaries: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Return the community CDF and forecaster count at each boundary h.

    The standing forecasts as for categorical questions: a user's latest entry
    with time < h, ordered by that entry. A boundary with no forecaster gives
    NaN; one with no new entry repeats the one before.
    """
    times = np.asarray(entry_times, dtype=float)
    cdfs = np.asarray(entry_cdfs, dtype=float)
    boundaries = np.asarray(boundaries, dtype=float)
    users, user_index = np.unique(np.asarray(entry_users), return_inverse=True)
    standing = _StandingForecasts(user_index.ravel(), users.size)
    series = np.full((boundaries.size, cdfs.shape[-1]), np.nan)
    forecasters = np.zeros(boundaries.size, dtype=np.int64)
    stops = np.searchsorted(times, boundaries, side="left")
    for b, stop in enumerate(stops):
        if not standing.advance(int(stop)) and b:
            series[b], forecasters[b] = series[b - 1], forecasters[b - 1]
            continue
        forecasters[b] = standing.count
        if forecasters[b]:
            series[b] = continuous_community(cdfs[standing.positions()])
    return series, forecasters
