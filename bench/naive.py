"""Scoring the naive way, for contrast: an ORM object and queries per entry.

It computes the same scores as forecasts.scoring.score_question (RPS aside:
the benchmark's questions are binary) with Python floats, so the benchmark
can check that both agree before comparing times.
"""

import math
from collections import defaultdict
from dataclasses import dataclass, field

from forecasts.models import CommunityPoint, Entry, ResolutionEvent, Score


@dataclass
class _User:
    entries: list = field(default_factory=list)  # (time, brier, vector, Entry)
    points: float = 0.0


def naive_score(resolution_id: int) -> int:
    """Score one resolution entry by entry and save each Score; return how many."""
    event = ResolutionEvent.objects.select_related("question").get(pk=resolution_id)
    question = event.question
    end = min(question.close_time, event.effective_at)
    users = _walk_entries(question, end, event.outcome)
    steps = _community_steps(question, end, event.outcome)
    logs = [math.log(s.entries[-1][2][event.outcome]) for s in users.values()]
    crowd = (len(logs), sum(logs) / len(logs)) if logs else (0, 0.0)
    for user, state in users.items():
        _save_score(event, user, state, steps, crowd, end)
    return len(users)


def _brier(vector, outcome) -> float:
    return sum((p - (k == outcome)) ** 2 for k, p in enumerate(vector))


def _walk_entries(question, end, outcome) -> dict[int, _User]:
    users = defaultdict(_User)
    entries = Entry.objects.filter(question=question, created_at__lt=end)
    for entry in entries.order_by("sequence"):
        previous = Entry.objects.filter(
            question=question, sequence=entry.sequence - 1
        ).first()
        k = len(entry.probabilities_bp)
        before = previous.probabilities if previous else [1.0 / k] * k
        score = _brier(entry.probabilities, outcome)
        state = users[entry.user_id]
        state.points += 100.0 * (_brier(before, outcome) - score)
        state.entries.append(
            (entry.created_at.timestamp(), score, entry.probabilities, entry)
        )
    return users


def _community_steps(question, end, outcome) -> list[tuple[float, float, float]]:
    """Return (from, to, brier of C) for each stored community step in the window."""
    start, stop = question.open_time.timestamp(), end.timestamp()
    points = CommunityPoint.objects.filter(question=question, time__lt=end)
    knots = [
        (min(max(p.time.timestamp(), start), stop), _brier(p.probabilities, outcome))
        for p in points.order_by("time")
    ]
    ends = [t for t, _ in knots[1:]] + [stop]
    return [(t, until, b) for (t, b), until in zip(knots, ends, strict=True)]


def _integral(steps, a: float, b: float) -> float:
    return sum(h * max(0.0, min(b, hi) - max(a, lo)) for lo, hi, h in steps)


def _time_averaged(state: _User, steps, end: float) -> tuple[float, float | None]:
    times = [t for t, *_ in state.entries]
    untils = times[1:] + [end]
    own = sum(s * (u - t) for (t, s, *_), u in zip(state.entries, untils, strict=True))
    first = times[0]
    born = steps[0][0] if steps else None
    waiting = _integral(steps, -math.inf, first)
    existed = max(first - born, 0.0) if steps else 0.0
    averaged = (own + waiting) / ((end - first) + existed)
    if born is None or end - born <= 0:
        return averaged, None
    overlap = sum(
        s * (max(u, born) - max(t, born))
        for (t, s, *_), u in zip(state.entries, untils, strict=True)
    )
    relative = (overlap - _integral(steps, first, end)) / (end - born)
    return averaged, relative


def _save_score(event, user, state, steps, crowd, end) -> None:
    k = len(event.question.options)
    _, score, vector, entry = state.entries[-1]
    p = vector[event.outcome]
    n, mean_log = crowd
    peer = 100.0 * n / (n - 1) * (math.log(p) - mean_log) if n > 1 else None
    averaged, relative = _time_averaged(state, steps, end.timestamp())
    Score.objects.create(
        resolution=event,
        question=event.question,
        user_id=user,
        final_entry=entry,
        entries=len(state.entries),
        brier=score,
        time_averaged_brier=averaged,
        relative_brier=relative,
        log_score=math.log(p),
        baseline=100.0 * math.log(k * p) / math.log(k),
        peer=peer,
        points=state.points,
        rps=None,
        close_time=event.question.close_time,
        window_end=end,
        outcome=event.outcome,
        final_bp=entry.probabilities_bp,
        final_p_yes_bp=entry.p_yes_bp,
    )
