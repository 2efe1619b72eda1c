"""A prototype of score_resolution that writes its Score rows with COPY.

The site never calls it. It measures what the change that BENCHMARKS.md
suggests for forecasts/services/resolution.py would give: the same reads and
maths, then the scores straight from the numpy arrays into the table, instead
of a Score object per forecaster and bulk_create.
"""

import json
import math

import numpy as np
from django.db import transaction

from bench.rows import insert_rows
from forecasts import scoring
from forecasts.ledger import BP
from forecasts.models import ResolutionEvent, Score, Scoring
from forecasts.selectors.arrays import community_arrays, entry_arrays
from forecasts.services import extend_community_series
from forecasts.services.locking import lock_head

COLUMNS = (
    "resolution_id",
    "question_id",
    "user_id",
    "final_entry_id",
    "entries",
    "brier",
    "time_averaged_brier",
    "relative_brier",
    "log_score",
    "baseline",
    "peer",
    "points",
    "rps",
    "close_time",
    "outcome",
    "final_bp",
    "final_p_yes_bp",
    "current",
)


def score_with_copy(resolution_id: int) -> int:
    """Score one unscored resolution version as score_resolution does; return rows."""
    with transaction.atomic():
        event = ResolutionEvent.objects.select_related("question").get(pk=resolution_id)
        lock_head(event.question_id)
        question = event.question
        end = min(question.close_time, event.effective_at)
        extend_community_series(question=question, until=end)
        entries = entry_arrays(question, before=end)
        c_times, c_vectors = community_arrays(question, before=end)
        result = scoring.score_question(
            question.open_time.timestamp(),
            end.timestamp(),
            entries.times,
            entries.users,
            entries.vectors,
            c_times,
            c_vectors,
            event.outcome,
            question.ordered,
        )
        _, from_end = np.unique(entries.users[::-1], return_index=True)
        last = len(entries.ids) - 1 - from_end
        finals = (entries.ids[last], np.rint(entries.vectors[last] * BP).astype(int))
        insert_rows(Score, COLUMNS, _rows(event, result, finals))
        Scoring.objects.create(
            resolution=event, window_end=end, forecasters=len(result.users)
        )
    return len(result.users)


def _rows(event, result, finals):
    n, (ids, final_bp) = len(result.users), finals
    question = event.question
    columns = [
        [event.pk] * n,
        [event.question_id] * n,
        result.users.tolist(),
        ids.tolist(),
        result.entries.tolist(),
        result.brier.tolist(),
        result.time_averaged_brier.tolist(),
        _nullable(result.relative_brier),
        result.log_score.tolist(),
        result.baseline.tolist(),
        _nullable(result.peer),
        result.points.tolist(),
        _nullable(result.rps),
        [question.close_time.isoformat()] * n,
        [event.outcome] * n,
        [json.dumps(v) for v in final_bp.tolist()],
        final_bp[:, 1].tolist() if question.is_binary else [None] * n,
        [True] * n,
    ]
    return zip(*columns, strict=True)


def _nullable(values: np.ndarray) -> list:
    return [None if math.isnan(v) else v for v in values.tolist()]
