"""Every write to the forecasting data goes through these services."""

from forecasts.services.community import extend_community_series
from forecasts.services.forecasting import submit_forecast
from forecasts.services.questions import (
    create_question,
    publish_question,
    update_question,
)
from forecasts.services.resolution import (
    ResolutionConflict,
    check_resolution,
    resolve_question,
    score_resolution,
)

__all__ = [
    "ResolutionConflict",
    "check_resolution",
    "create_question",
    "extend_community_series",
    "publish_question",
    "resolve_question",
    "score_resolution",
    "submit_forecast",
    "update_question",
]
