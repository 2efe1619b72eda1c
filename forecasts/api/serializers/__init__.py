"""API input (strict: JSON types as sent, unknown fields refused) and output.

One module each for inputs, question and entry outputs, and score outputs;
every name is importable from forecasts.api.serializers.
"""

from forecasts.api.serializers.inputs import (
    MAX_TEXT,
    CalibrationQuery,
    ForecastInput,
    LeaderboardQuery,
    QuestionInput,
    QuestionQuery,
    QuestionUpdateInput,
    ResolveInput,
)
from forecasts.api.serializers.outputs import (
    CommunityOutput,
    CommunityPointOutput,
    EntryOutput,
    LedgerHeadOutput,
    MarketOutput,
    QuestionOutput,
    ResolutionOutput,
    RoundedFloatField,
    outcome_label,
    vector_body,
)
from forecasts.api.serializers.scores import (
    CalibrationBinOutput,
    CalibrationOutput,
    LeaderboardRowOutput,
    PageFields,
    QuestionScoresPage,
    ScoreFields,
    ScoreOutput,
    TotalsOutput,
    UserScoreOutput,
    UserScoresPage,
)

__all__ = [
    "MAX_TEXT",
    "CalibrationBinOutput",
    "CalibrationOutput",
    "CalibrationQuery",
    "CommunityOutput",
    "CommunityPointOutput",
    "EntryOutput",
    "ForecastInput",
    "LeaderboardQuery",
    "LeaderboardRowOutput",
    "LedgerHeadOutput",
    "MarketOutput",
    "PageFields",
    "QuestionInput",
    "QuestionOutput",
    "QuestionQuery",
    "QuestionScoresPage",
    "QuestionUpdateInput",
    "ResolutionOutput",
    "ResolveInput",
    "RoundedFloatField",
    "ScoreFields",
    "ScoreOutput",
    "TotalsOutput",
    "UserScoreOutput",
    "UserScoresPage",
    "outcome_label",
    "vector_body",
]
