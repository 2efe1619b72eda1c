"""The live community forecast and market price, cached until the next entry."""

from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db import connections
from django.db.models import F, IntegerField
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce

from forecasts import scoring
from forecasts.ledger import BP
from forecasts.models import CommunityPoint, Entry, Question, Standing
from forecasts.selectors.arrays import copy_arrays, copy_integer_rows, fetch_arrays


@dataclass(frozen=True)
class Community:
    probabilities: list[float]
    forecasters: int


def community_now(questions: list[Question]) -> dict[int, Community | None]:
    """Return each question's community forecast from its standing forecasts.

    The cache key holds the ledger head's hash, so a new entry shows at once
    (and a restored or rebuilt database never meets a stale value); questions
    missing from the cache are computed together in one query.
    """
    keys = {q.pk: f"community:{q.pk}:{_head_hash(q)}" for q in questions}
    cached = cache.get_many(list(keys.values()))
    result = {qid: cached.get(key) for qid, key in keys.items()}
    missing = [q for q in questions if keys[q.pk] not in cached and _entries(q)]
    if missing:
        computed = _compute(missing)
        cache.set_many({keys[qid]: value for qid, value in computed.items()})
        result.update(computed)
    return result


def _entries(question: Question) -> int:
    head = getattr(question, "head", None)
    return head.entries if head else 0


def _head_hash(question: Question) -> str:
    head = getattr(question, "head", None)
    return head.entry_hash if head else "none"


def _compute(questions: list[Question]) -> dict[int, Community]:
    continuous = [q for q in questions if q.is_continuous]
    categorical = [q for q in questions if not q.is_continuous]
    result = _compute_continuous(continuous) if continuous else {}
    if categorical:
        result.update(_compute_categorical(categorical))
    return result


def _compute_continuous(questions: list[Question]) -> dict[int, Community]:
    """Return the recency-weighted mean CDF of each question's standing forecasts."""
    rows = (
        Standing.objects.filter(question__in=questions)
        .order_by("question_id", "sequence")
        .values_list("question_id", "probabilities_bp")
    )
    if connections[rows.db].vendor == "postgresql":
        table = copy_integer_rows(rows, 1 + scoring.GRID_POINTS)
        ids, cdfs = table[:, 0], table[:, 1:]
    else:
        listed = list(rows)
        ids = np.array([qid for qid, _ in listed], dtype=np.int64)
        cdfs = np.array([cdf for _, cdf in listed], dtype=np.int64)
    result = {}
    for qid in np.unique(ids).tolist():
        mine = cdfs[ids == qid]
        mean = scoring.continuous_community(scoring.cdf_floats(mine))
        result[qid] = Community(mean.tolist(), len(mine))
    return result


def _compute_categorical(questions: list[Question]) -> dict[int, Community]:
    question_ids, bp = standing_table(questions)
    found, starts = np.unique(question_ids, return_index=True)
    stops = [*starts[1:], question_ids.size]
    by_id = {q.pk: q for q in questions}
    result = {}
    for qid, start, stop in zip(found.tolist(), starts, stops, strict=True):
        question = by_id[qid]
        vectors = bp[start:stop, : len(question.options)] / BP
        probabilities = scoring.community_forecast(vectors, question.is_binary)
        result[qid] = Community([float(p) for p in probabilities], int(stop - start))
    return result


def standing_table(questions: list[Question]) -> tuple[np.ndarray, np.ndarray]:
    """Return (question ids, bp per option) of the standing forecasts, in one query.

    Rows come by question, oldest latest entry first; options a question does
    not have read -1.
    """
    width = max(len(q.options) for q in questions)
    options = {
        f"bp{k}": Coalesce(
            Cast(KeyTextTransform(str(k), "probabilities_bp"), IntegerField()), -1
        )
        for k in range(width)
    }
    rows = (
        Standing.objects.filter(question__in=questions)
        .annotate(**options)
        .order_by("question_id", "sequence")
        .values_list("question_id", *options)
    )
    if connections[rows.db].vendor == "postgresql":
        table = copy_arrays(rows, ("i8",) + ("i4",) * width)
    else:
        table = fetch_arrays(rows, 1 + width)
    bp = np.column_stack(table[1:]).reshape(len(table[0]), width)
    return table[0].astype(np.int64), bp


def market_now(questions: list[Question]) -> dict[int, list[float]]:
    """Return the market price of each question: its latest entry's vector."""
    with_entries = [q for q in questions if _entries(q)]
    if not with_entries:
        return {}
    rows = Entry.objects.filter(
        question__in=with_entries, sequence=F("question__head__entries")
    ).values_list("question_id", "probabilities_bp")
    units = {q.pk: q.vector_unit for q in questions}
    return {qid: [v / units[qid] for v in vector] for qid, vector in rows}


def community_history(question: Question) -> list[CommunityPoint]:
    """Return the stored community series of a question, oldest first."""
    return list(CommunityPoint.objects.filter(question=question).order_by("time"))


def community_visible(question: Question, has_forecast: bool, user) -> bool:
    """Return whether this user may see the community forecast and market price."""
    if not question.hide_community_until_forecast or has_forecast:
        return True
    return bool(user and user.is_authenticated and user.is_staff) or bool(
        getattr(question, "head", None) and question.head.resolutions
    )
