"""Score a resolution afresh from the ledger alone, to compare with stored scores.

Nothing stored besides the entries is read: the community series is rebuilt
from them with forecasts.scoring, not taken from the stored points.
"""

import math

import numpy as np

from forecasts import scoring
from forecasts.models import SCORE_FIELDS, Entry, ResolutionEvent, Score
from forecasts.selectors.arrays import to_microseconds

FIELDS = ("final_entry_id", *SCORE_FIELDS)


def stored_scores(event: ResolutionEvent) -> dict[int, dict]:
    """Return the stored scores of one resolution version, by user id."""
    rows = Score.objects.filter(resolution=event).values("user_id", *FIELDS)
    return {row.pop("user_id"): row for row in rows}


def recomputed_scores(event: ResolutionEvent, step: float) -> dict[int, dict]:
    """Return the scores of one resolution version computed from its entries."""
    question = event.question
    end = min(question.close_time, event.effective_at)
    ids, micros, users, vectors = _ledger(question, end)
    times = micros / 1e6
    boundaries = scoring.community_boundaries(times[0], end.timestamp(), step)
    community, _ = scoring.community_series(
        times, users, vectors, boundaries, question.is_binary
    )
    # Scoring takes exact microseconds; boundaries are whole seconds.
    result = scoring.score_question(
        to_microseconds(question.open_time),
        to_microseconds(end),
        micros,
        users,
        vectors,
        np.rint(boundaries * 1e6).astype(np.int64),
        community,
        event.outcome,
        question.ordered,
    )
    last_ids = {int(user): int(entry) for user, entry in zip(users, ids, strict=True)}
    return {
        int(user): {
            "entries": int(result.entries[i]),
            "final_entry_id": last_ids[int(user)],
            **{
                name: _number(getattr(result, name)[i])
                for name in SCORE_FIELDS
                if name != "entries"
            },
        }
        for i, user in enumerate(result.users)
    }


def _ledger(question, end):
    rows = list(
        Entry.objects.filter(question=question, created_at__lt=end)
        .order_by("sequence")
        .values_list("id", "created_at", "user_id", "probabilities_bp")
    )
    ids, created, users, bp = zip(*rows, strict=True)
    micros = np.array([to_microseconds(moment) for moment in created])
    return ids, micros, np.array(users), np.array(bp, dtype=float) / 10_000


def _number(value) -> float | None:
    return None if math.isnan(value) else float(value)


def agree(stored, recomputed) -> bool:
    """Return whether scores agree: the same keys, ids and counts, floats to 1e-12.

    Scoring a binary or multiple-choice resolution adds the same terms from the
    forecasters' running sums that the recomputation adds entry by entry, in
    another grouping: the issue's rule for a faster path is agreement to 1e-12
    (relative, or absolute below 1), not to the last bit.
    """
    if isinstance(stored, dict):
        return (
            isinstance(recomputed, dict)
            and stored.keys() == recomputed.keys()
            and all(agree(stored[key], recomputed[key]) for key in stored)
        )
    if isinstance(stored, list):
        return (
            isinstance(recomputed, list)
            and len(stored) == len(recomputed)
            and all(agree(a, b) for a, b in zip(stored, recomputed, strict=True))
        )
    if isinstance(stored, float) and isinstance(recomputed, float):
        return abs(stored - recomputed) <= 1e-12 * max(1.0, abs(recomputed))
    return stored == recomputed
