"""Scoring a resolved numeric or date question over its window.

The same window, standing-forecast and community-fill rules as categorical
questions (windows.py), with the continuous Brier 2·CRPS in place of the
categorical one. The market's state before the first entry is the baseline
distribution.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from forecasts.scoring.continuous import (
    baseline_cdf,
    cdf_floats,
    continuous_baseline_scores,
    continuous_brier,
    continuous_brier_many,
    continuous_log_scores,
    continuous_peer_scores,
)
from forecasts.scoring.continuous_calibration import pit_values
from forecasts.scoring.windows import (
    CommunityBrier,
    QuestionScores,
    _time_averaged,
    entries_by_user,
    market_gains,
    microseconds,
)


def score_continuous_question(
    start: int,
    end: int,
    entry_times: ArrayLike,
    entry_users: ArrayLike,
    entry_cdfs: ArrayLike,
    community_times: ArrayLike,
    community_cdfs: ArrayLike,
    outcome: float,
    open_lower: bool,
    open_upper: bool,
) -> QuestionScores:
    """Score each user's CDFs in [start, end); `outcome` is u_y (±inf beyond).

    brier is 2·CRPS of the final CDF, log ln pmf_b, baseline and peer the
    halved continuous ones, rps None; crps and pit are filled.
    """
    start, end = (int(moment) for moment in microseconds([start, end]))
    entries = entries_by_user(end, entry_times, entry_users, entry_cdfs)
    community = CommunityBrier.build(
        start,
        end,
        community_times,
        np.asarray(community_cdfs, dtype=float).reshape(-1, entries.vectors.shape[1]),
        outcome,
        continuous_brier_many,
    )
    sorted_scores = continuous_brier_many(entries.vectors, outcome)
    averaged, relative = _time_averaged(entries, community, end, sorted_scores)
    final = entries.vectors[entries.last]
    n_users = entries.users.size
    ledger_scores = np.empty_like(sorted_scores)
    ledger_scores[entries.order] = sorted_scores
    initial = continuous_brier(
        cdf_floats(baseline_cdf(open_lower, open_upper)), outcome
    )
    gains = market_gains(ledger_scores, initial)[entries.order]
    final_brier = sorted_scores[entries.last]
    return QuestionScores(
        users=entries.users,
        brier=final_brier,
        time_averaged_brier=averaged,
        relative_brier=relative,
        log_score=continuous_log_scores(final, outcome),
        baseline=continuous_baseline_scores(final, outcome, open_lower, open_upper),
        peer=continuous_peer_scores(final, outcome),
        points=np.bincount(entries.group, gains, minlength=n_users),
        rps=np.full(n_users, np.nan),
        entries=np.bincount(entries.group, minlength=n_users),
        final_entries=entries.order[entries.last],
        crps=final_brier / 2.0,
        pit=pit_values(final, np.full(n_users, outcome)),
    )
