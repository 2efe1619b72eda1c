"""Columns of the ledger as numpy arrays, for the pure scoring maths."""

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from forecasts.ledger import BP
from forecasts.models import CommunityPoint, Entry, Question


@dataclass(frozen=True)
class EntryArrays:
    ids: np.ndarray
    times: np.ndarray
    users: np.ndarray
    vectors: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def entry_arrays(question: Question, *, before: datetime) -> EntryArrays:
    """Return the question's entries created before `before`, in ledger order."""
    column = "p_yes_bp" if question.is_binary else "probabilities_bp"
    rows = list(
        Entry.objects.filter(question=question, created_at__lt=before)
        .order_by("sequence")
        .values_list("id", "created_at", "user_id", column)
    )
    k = len(question.options)
    if not rows:
        empty = np.empty(0)
        return EntryArrays(
            empty.astype(np.int64), empty, empty.astype(np.int64), np.empty((0, k))
        )
    ids, times, users, probs = zip(*rows, strict=True)
    if question.is_binary:
        yes = np.asarray(probs, dtype=float)
        vectors = np.column_stack([BP - yes, yes]) / BP
    else:
        vectors = np.asarray(probs, dtype=float) / BP
    return EntryArrays(
        ids=np.asarray(ids, dtype=np.int64),
        times=np.fromiter((t.timestamp() for t in times), float, len(times)),
        users=np.asarray(users, dtype=np.int64),
        vectors=vectors,
    )


def community_arrays(question: Question, *, before: datetime):
    """Return the stored community series before `before` as (times, vectors)."""
    rows = list(
        CommunityPoint.objects.filter(question=question, time__lt=before)
        .order_by("time")
        .values_list("time", "probabilities")
    )
    k = len(question.options)
    if not rows:
        return np.empty(0), np.empty((0, k))
    times, vectors = zip(*rows, strict=True)
    return (
        np.fromiter((t.timestamp() for t in times), float, len(times)),
        np.asarray(vectors, dtype=float),
    )
