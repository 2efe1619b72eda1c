"""Questions, the append-only forecast ledger, resolutions and their scores.

One module per concern; every name is importable from forecasts.models.
"""

from forecasts.models.base import (
    CONTINUOUS_KINDS,
    PRACTICE_FIXED,
    AppendOnlyError,
    AppendOnlyModel,
    AppendOnlyQuerySet,
    Kind,
    Outcome,
    PracticeFlagError,
    Scale,
    Status,
)
from forecasts.models.ledger import (
    Entry,
    LedgerHead,
    PracticeRemoval,
    ResolutionEvent,
    Standing,
)
from forecasts.models.notifications import Notification, NotificationSettings
from forecasts.models.questions import (
    FROZEN_FIELDS,
    Clarification,
    Question,
    QuestionQuerySet,
    Tag,
)
from forecasts.models.scores import (
    CONTINUOUS_SCORE_FIELDS,
    SCORE_FIELDS,
    CacheGeneration,
    CommunityPoint,
    Score,
    Scoring,
)

__all__ = [
    "CONTINUOUS_KINDS",
    "CONTINUOUS_SCORE_FIELDS",
    "FROZEN_FIELDS",
    "PRACTICE_FIXED",
    "SCORE_FIELDS",
    "AppendOnlyError",
    "AppendOnlyModel",
    "AppendOnlyQuerySet",
    "CacheGeneration",
    "Clarification",
    "CommunityPoint",
    "Entry",
    "Kind",
    "LedgerHead",
    "Notification",
    "NotificationSettings",
    "Outcome",
    "PracticeFlagError",
    "PracticeRemoval",
    "Question",
    "QuestionQuerySet",
    "ResolutionEvent",
    "Score",
    "Scoring",
    "Standing",
    "Scale",
    "Status",
    "Tag",
]
