"""The live community forecast and market price, cached until the next entry."""

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.core.cache import cache
from django.db.models import F

from forecasts import scoring
from forecasts.ledger import BP
from forecasts.models import CommunityPoint, Entry, Question, Standing


@dataclass(frozen=True)
class Community:
    probabilities: list[float]
    forecasters: int


def community_now(questions: list[Question]) -> dict[int, Community | None]:
    """Return each question's community forecast from its standing forecasts.

    The cache key holds the entry count, so a new entry shows at once; questions
    missing from the cache are computed together in one query.
    """
    keys = {q.pk: f"community:{q.pk}:{_entries(q)}" for q in questions}
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


def _compute(questions: list[Question]) -> dict[int, Community]:
    rows = (
        Standing.objects.filter(question__in=questions)
        .order_by("question_id", "sequence")
        .values_list("question_id", "probabilities_bp")
    )
    vectors = defaultdict(list)
    for question_id, bp in rows:
        vectors[question_id].append(bp)
    binary = {q.pk: q.is_binary for q in questions}
    return {
        qid: Community(
            probabilities=[
                float(p)
                for p in scoring.community_forecast(np.asarray(v) / BP, binary[qid])
            ],
            forecasters=len(v),
        )
        for qid, v in vectors.items()
    }


def market_now(questions: list[Question]) -> dict[int, list[float]]:
    """Return the market price of each question: its latest entry's vector."""
    with_entries = [q for q in questions if _entries(q)]
    if not with_entries:
        return {}
    rows = Entry.objects.filter(
        question__in=with_entries, sequence=F("question__head__entries")
    ).values_list("question_id", "probabilities_bp")
    return {qid: [bp / BP for bp in vector] for qid, vector in rows}


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
