"""Scoring rules, community forecast and calibration for forecast questions.

Pure maths on numpy arrays: no models, no settings, no I/O. A probability vector
is over K options; a binary question has K = 2 with p = [P(no), P(yes)], so the
outcome index 1 means Yes. The community series takes float seconds since the
Unix epoch; scoring over a window takes whole microseconds (exact lengths).

One module per concern: categorical rules, the community aggregate, scoring
over a question's window, calibration. Their public names are re-exported here.
"""

from forecasts.scoring.calibration import (
    CALIBRATION_BINS,
    WILSON_Z,
    Calibration,
    CalibrationBin,
    calibration,
    calibration_from_sums,
    wilson_interval,
)
from forecasts.scoring.categorical import (
    baseline_score,
    baseline_scores,
    brier,
    brier_many,
    log_score,
    peer_scores,
    ranked_probability_score,
    ranked_probability_score_many,
)
from forecasts.scoring.community import (
    MULTIPLE_CHOICE_FLOOR,
    community_boundaries,
    community_forecast,
    community_series,
    recency_weights,
    weighted_median,
)
from forecasts.scoring.windows import (
    QuestionScores,
    market_points,
    microseconds,
    score_question,
    stable_order,
    time_averaged_brier,
)

__all__ = [
    "CALIBRATION_BINS",
    "MULTIPLE_CHOICE_FLOOR",
    "WILSON_Z",
    "Calibration",
    "CalibrationBin",
    "QuestionScores",
    "baseline_score",
    "baseline_scores",
    "brier",
    "brier_many",
    "calibration",
    "calibration_from_sums",
    "community_boundaries",
    "community_forecast",
    "community_series",
    "log_score",
    "market_points",
    "microseconds",
    "peer_scores",
    "ranked_probability_score",
    "ranked_probability_score_many",
    "recency_weights",
    "score_question",
    "stable_order",
    "time_averaged_brier",
    "weighted_median",
    "wilson_interval",
]
