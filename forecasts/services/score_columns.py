"""The score rows of one resolution version, as columns for one bulk insert."""

from datetime import UTC, datetime, timedelta

import numpy as np

from forecasts import scoring
from forecasts.ledger import BP
from forecasts.models import (
    CONTINUOUS_SCORE_FIELDS,
    SCORE_FIELDS,
    Outcome,
    Question,
    ResolutionEvent,
)
from forecasts.selectors.arrays import (
    community_arrays,
    entry_arrays,
    to_microseconds,
)
from forecasts.selectors.running import first_sequence_from, ledger_sums
from forecasts.services.community import extend_community_series

SCORE_COLUMNS = ("resolution_id", "question_id", "user_id", "final_entry_id")
SCORE_COLUMNS += SCORE_FIELDS
SCORE_COLUMNS += ("close_time", "window_end", "outcome", "final_bp")
SCORE_COLUMNS += ("final_p_yes_bp", "current")


def score_columns(
    question: Question, head, event: ResolutionEvent, end, *, sums: bool = True
) -> dict:
    """Return SCORE_COLUMNS as numpy arrays (or one value for every forecaster).

    Binary and multiple-choice questions are scored from the forecasters'
    running sums where they cover the ledger; otherwise (or with sums=False,
    for agreement checks) from every entry.
    """
    extend_community_series(question=question, until=end)
    community_times, community_vectors = community_arrays(question, before=end)
    summed = ledger_sums(question, head, before=end) if sums else None
    if summed is not None and scoring.sums_are_precise(
        to_microseconds(question.open_time),
        to_microseconds(end),
        summed[0],
        community_times,
    ):
        community = (community_times, community_vectors)
        return _columns_from_sums(question, event, end, *summed, community)
    entries = entry_arrays(question, before=end)
    if not len(entries):
        return {}
    if question.is_continuous:
        return _continuous_columns(
            question, event, end, entries, (community_times, community_vectors)
        )
    result = scoring.score_question(
        to_microseconds(question.open_time),
        to_microseconds(end),
        entries.micros,
        entries.users,
        entries.vectors,
        community_times,
        community_vectors,
        event.outcome,
        question.ordered,
    )
    last = result.final_entries
    final_bp = np.rint(entries.vectors[last] * BP).astype(np.int64)
    return _categorical_columns(
        question, event, end, result, entries.ids[last], final_bp
    )


def _columns_from_sums(question, event, end, sums, final_ids, community) -> dict:
    start = to_microseconds(question.open_time)
    early = early_entries(question, start, to_microseconds(end), community[0])
    result = scoring.scores_from_sums(
        start,
        to_microseconds(end),
        sums,
        *community,
        event.outcome,
        question.ordered,
        early,
    )
    final_bp = sums.vectors.astype(np.int64)
    return _categorical_columns(question, event, end, result, final_ids, final_bp)


def early_entries(question: Question, start: int, end: int, community_times):
    """Return (micros, users, vectors) of the entries before the community's first
    point: scores_from_sums takes their time before it off the relative score."""
    k = len(question.options)
    born = _community_born(start, end, community_times)
    bound = None if born is None else first_sequence_from(question, born)
    if born is None or bound == 1:
        return np.empty(0, np.int64), np.empty(0, np.int64), np.empty((0, k))
    entries = entry_arrays(question, before=born, below_sequence=bound)
    return entries.micros, entries.users, entries.vectors


def _community_born(start: int, end: int, times: np.ndarray) -> datetime | None:
    """Return when the community's first point counts from, None if it has none."""
    if not len(times):
        return None
    born = int(np.clip(times[0], start, end))
    return datetime.fromtimestamp(0, UTC) + timedelta(microseconds=born)


def _categorical_columns(question, event, end, result, final_ids, final_bp) -> dict:
    return {
        "resolution_id": event.pk,
        "question_id": question.pk,
        "user_id": result.users,
        "final_entry_id": final_ids,
        **{name: getattr(result, name) for name in SCORE_FIELDS},
        "close_time": question.close_time,
        "window_end": end,
        "outcome": event.outcome,
        "final_bp": final_bp,
        "final_p_yes_bp": final_bp[:, 1] if question.is_binary else None,
        "current": True,
    }


def outcome_u(question: Question, event: ResolutionEvent) -> float:
    """Return a numeric or date resolution's u_y: ±inf when resolved beyond."""
    if event.value is not None:
        return float(question.axis().to_unit(event.value))
    return -np.inf if event.outcome == Outcome.BELOW else np.inf


def _continuous_columns(question, event, end, entries, community) -> dict:
    result = scoring.score_continuous_question(
        to_microseconds(question.open_time),
        to_microseconds(end),
        entries.micros,
        entries.users,
        entries.vectors,
        *community,
        outcome_u(question, event),
        question.open_lower_bound,
        question.open_upper_bound,
    )
    last = result.final_entries
    return {
        "resolution_id": event.pk,
        "question_id": question.pk,
        "user_id": result.users,
        "final_entry_id": entries.ids[last],
        **{name: getattr(result, name) for name in SCORE_FIELDS},
        **{name: getattr(result, name) for name in CONTINUOUS_SCORE_FIELDS},
        "close_time": question.close_time,
        "window_end": end,
        "outcome": event.outcome,
        # The final CDF stays in the ledger only (final_entry): copying 201
        # points into every score row cost more than all the scoring maths.
        "final_bp": np.empty((len(last), 0), np.int64),
        "final_p_yes_bp": None,
        "current": True,
    }
