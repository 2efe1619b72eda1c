"""Scoring rules, community forecast and calibration for forecast questions.

Pure maths on numpy arrays: no models, no settings, no I/O. A probability vector
is over K options; a binary question has K = 2 with p = [P(no), P(yes)], so the
outcome index 1 means Yes. The community series takes float seconds since the
Unix epoch; scoring over a window takes whole microseconds (exact lengths).

One module per concern: categorical rules, the community aggregate, scoring
over a question's window, calibration; numeric and date questions have their
own (continuous: axis, CDF and scores; continuous_inputs; continuous_community;
continuous_calibration). Their public names are re-exported here.
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
from forecasts.scoring.continuous import (
    BASELINE_TAIL,
    GRID,
    GRID_CELLS,
    GRID_POINTS,
    MILLION,
    MIN_STEP,
    OPEN_TAIL,
    QUANTILE_LEVELS,
    ContinuousAxis,
    ContinuousInputError,
    baseline_cdf,
    cdf_floats,
    cdf_quantiles,
    cdf_strings,
    continuous_baseline_scores,
    continuous_brier,
    continuous_brier_many,
    continuous_log_scores,
    continuous_peer_scores,
    crps,
    crps_many,
    outcome_bucket,
    outcome_mass,
    pmf,
    validate_cdf,
)
from forecasts.scoring.continuous_calibration import (
    PIT_BINS,
    PitBin,
    PitCalibration,
    pit_calibration,
    pit_values,
)
from forecasts.scoring.continuous_community import (
    continuous_community,
    continuous_community_series,
)
from forecasts.scoring.continuous_inputs import (
    MAX_COMPONENTS,
    MAX_QUANTILES,
    MIN_QUANTILES,
    QUANTILE_TOLERANCE,
    cdf_from_components,
    cdf_from_quantiles,
    cdf_from_values,
)
from forecasts.scoring.continuous_windows import score_continuous_question
from forecasts.scoring.running import (
    LedgerSums,
    RunningSums,
    fold,
    fold_ledger,
    scores_from_sums,
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
    "LedgerSums",
    "RunningSums",
    "fold",
    "fold_ledger",
    "scores_from_sums",
    "BASELINE_TAIL",
    "CALIBRATION_BINS",
    "GRID",
    "GRID_CELLS",
    "GRID_POINTS",
    "MAX_COMPONENTS",
    "MAX_QUANTILES",
    "MILLION",
    "MIN_QUANTILES",
    "MIN_STEP",
    "MULTIPLE_CHOICE_FLOOR",
    "OPEN_TAIL",
    "PIT_BINS",
    "QUANTILE_LEVELS",
    "QUANTILE_TOLERANCE",
    "WILSON_Z",
    "Calibration",
    "CalibrationBin",
    "ContinuousAxis",
    "ContinuousInputError",
    "PitBin",
    "PitCalibration",
    "QuestionScores",
    "baseline_cdf",
    "baseline_score",
    "baseline_scores",
    "brier",
    "brier_many",
    "calibration",
    "calibration_from_sums",
    "cdf_floats",
    "cdf_from_components",
    "cdf_from_quantiles",
    "cdf_from_values",
    "cdf_quantiles",
    "cdf_strings",
    "community_boundaries",
    "community_forecast",
    "community_series",
    "continuous_baseline_scores",
    "continuous_brier",
    "continuous_brier_many",
    "continuous_community",
    "continuous_community_series",
    "continuous_log_scores",
    "continuous_peer_scores",
    "crps",
    "crps_many",
    "log_score",
    "market_points",
    "microseconds",
    "outcome_bucket",
    "outcome_mass",
    "peer_scores",
    "pit_calibration",
    "pit_values",
    "pmf",
    "ranked_probability_score",
    "ranked_probability_score_many",
    "recency_weights",
    "score_continuous_question",
    "score_question",
    "stable_order",
    "time_averaged_brier",
    "validate_cdf",
    "weighted_median",
    "wilson_interval",
]
