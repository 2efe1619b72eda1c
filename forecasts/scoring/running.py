"""Running sums of a forecaster's entries, from which a resolution is scored.

Brier of a vector p (basis points b = BP·p) for outcome o is
Σ_k p_k² − 2·p_o + 1: a sum of terms that do not know o, and one that picks
an option. So every integral and every sum of Brier scores over a
forecaster's entries follows from a few sums kept while the question is open:

- held_sq = Σ_j Σ_k b_jk² · (t_{j+1} − t_j) and held_bp[k] = Σ_j b_jk · (t_{j+1} − t_j),
  over the forecaster's entries j but the last (each held until their next);
- market_sq = Σ_j (Σ_k g_jk² − Σ_k b_jk²) and market_bp[k] = Σ_j (g_jk − b_jk),
  g_j the ledger's entry before j (anyone's; BP/K each before the first).

`fold` adds one entry (the forecast write), `fold_ledger` a whole ledger at
once (the same sums, in the same order of additions), `scores_from_sums`
scores a resolution from them: the same QuestionScores as score_question,
to rounding (float sums of the same terms, grouped differently).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from forecasts.scoring.categorical import (
    baseline_scores,
    brier_many,
    peer_scores,
    ranked_probability_score_many,
)
from forecasts.scoring.windows import (
    CommunityBrier,
    QuestionScores,
    entries_by_user,
    microseconds,
    stable_order,
)

BP = 10_000  # basis points in 1, as forecasts.ledger.BP (the maths imports no app)


@dataclass(frozen=True)
class RunningSums:
    """One forecaster's sums on one question, after their latest entry."""

    first: int
    last: int
    entries: int
    vector: tuple[int, ...]
    held_sq: float
    held_bp: tuple[float, ...]
    market_sq: float
    market_bp: tuple[float, ...]


# A stored RunningSums: first, last, entries, held_sq, market_sq, then the
# vector, held_bp and market_bp (K each), as little-endian float64. Times in
# microseconds stay exact as floats until 2255 (below 2**53).
_HEAD = 5
_FLOAT = np.dtype("<f8")


def pack(sums: RunningSums) -> bytes:
    """Return the sums as stored (Standing.sums)."""
    head = (sums.first, sums.last, sums.entries, sums.held_sq, sums.market_sq)
    values = head + sums.vector + sums.held_bp + sums.market_bp
    return np.array(values, dtype=_FLOAT).tobytes()


def stored_width(k: int) -> int:
    """Return the bytes of stored sums on a question of K options."""
    return (_HEAD + 3 * k) * _FLOAT.itemsize


def unpack(stored: bytes) -> RunningSums:
    """Return the RunningSums of stored bytes."""
    values = np.frombuffer(stored, dtype=_FLOAT)
    k = (values.size - _HEAD) // 3
    rest = values[_HEAD:].reshape(3, k)
    return RunningSums(
        first=int(values[0]),
        last=int(values[1]),
        entries=int(values[2]),
        vector=tuple(int(b) for b in rest[0]),
        held_sq=float(values[3]),
        held_bp=tuple(rest[1].tolist()),
        market_sq=float(values[4]),
        market_bp=tuple(rest[2].tolist()),
    )


def uniform_bp(k: int) -> np.ndarray:
    """Return the market's state before the first entry: BP/K on each option."""
    return np.full(k, BP / k)


def fold(
    sums: RunningSums | None,
    vector,
    micros: int,
    before: ArrayLike | None,
) -> RunningSums:
    """Return the sums after one more entry (basis points `vector` at `micros`).

    `sums` are the forecaster's sums so far (None before their first entry);
    `before` is the ledger's previous entry's vector, None if this is the first.
    """
    vector = np.asarray(vector, dtype=float)
    g = uniform_bp(vector.size) if before is None else np.asarray(before, float)
    market_sq = float(np.square(g).sum() - np.square(vector).sum())
    market_bp = g - vector
    bp = tuple(int(b) for b in vector)
    if sums is None:
        return RunningSums(
            first=micros,
            last=micros,
            entries=1,
            vector=bp,
            held_sq=0.0,
            held_bp=(0.0,) * vector.size,
            market_sq=market_sq,
            market_bp=tuple(market_bp.tolist()),
        )
    held = float(micros - sums.last)
    previous = np.asarray(sums.vector, dtype=float)
    return replace(
        sums,
        last=micros,
        entries=sums.entries + 1,
        vector=bp,
        held_sq=sums.held_sq + float(np.square(previous).sum()) * held,
        held_bp=tuple((np.asarray(sums.held_bp) + previous * held).tolist()),
        market_sq=sums.market_sq + market_sq,
        market_bp=tuple((np.asarray(sums.market_bp) + market_bp).tolist()),
    )


@dataclass(frozen=True)
class LedgerSums:
    """RunningSums of every forecaster, as arrays aligned with `users` (ascending).

    `final` holds the position in the ledger of each forecaster's last entry.
    """

    users: np.ndarray
    first: np.ndarray
    last: np.ndarray
    entries: np.ndarray
    vectors: np.ndarray
    held_sq: np.ndarray
    held_bp: np.ndarray
    market_sq: np.ndarray
    market_bp: np.ndarray
    final: np.ndarray | None = None


def ledger_sums_of(users: np.ndarray, stored: np.ndarray) -> LedgerSums:
    """Return LedgerSums of stored sums: an (n, 5 + 3K) float64 array by user."""
    k = (stored.shape[1] - _HEAD) // 3
    rest = stored[:, _HEAD:].reshape(-1, 3, k)
    return LedgerSums(
        users=np.asarray(users, dtype=np.int64),
        first=stored[:, 0].astype(np.int64),
        last=stored[:, 1].astype(np.int64),
        entries=stored[:, 2].astype(np.int64),
        vectors=rest[:, 0],
        held_sq=stored[:, 3],
        held_bp=rest[:, 1],
        market_sq=stored[:, 4],
        market_bp=rest[:, 2],
    )


def stored_table(sums: LedgerSums) -> np.ndarray:
    """Return the sums as stored, one (5 + 3K) float64 row per forecaster."""
    head = [sums.first, sums.last, sums.entries, sums.held_sq, sums.market_sq]
    vectors = [sums.vectors, sums.held_bp, sums.market_bp]
    return np.column_stack([*(np.asarray(c, float) for c in head), *vectors])


def differing_sums(
    folded: LedgerSums, stored: Iterable[tuple[int, bytes | None]], rtol: float
) -> dict[int, bytes]:
    """Return the folded sums, as stored, of each user whose stored ones differ.

    `stored` is (user, sums) of users in `folded`; missing sums (None) differ,
    and so do values further than `rtol` (relative) from the folded ones.
    """
    expected = dict(zip(folded.users.tolist(), stored_table(folded), strict=True))
    differing = {}
    for user_id, sums in stored:
        want = expected[user_id].astype(_FLOAT)
        if not _agree(sums, want, rtol):
            differing[user_id] = want.tobytes()
    return differing


def _agree(sums: bytes | None, want: np.ndarray, rtol: float) -> bool:
    if sums is None:
        return False
    if rtol == 0:
        return bytes(sums) == want.tobytes()
    values = np.frombuffer(sums, _FLOAT)
    return values.shape == want.shape and np.allclose(values, want, rtol, 0)


def fold_ledger(micros: ArrayLike, users: ArrayLike, bp: ArrayLike) -> LedgerSums:
    """Return every forecaster's sums after a whole ledger, in ledger order.

    The additions are fold's, one entry after another: the same float sums.
    """
    micros = microseconds(micros)
    users = np.asarray(users, dtype=np.int64)
    bp = np.asarray(bp, dtype=float)
    n, k = bp.shape
    order = stable_order(users)
    sorted_users = users[order]
    is_first = np.ones(n, dtype=bool)
    is_first[1:] = sorted_users[1:] != sorted_users[:-1]
    first = np.flatnonzero(is_first)
    last = np.append(first[1:], n) - 1
    group = np.cumsum(is_first) - 1
    m = first.size
    times = micros[order]
    vectors = bp[order]
    # Each entry is held until the forecaster's next; their last is not summed.
    held = np.zeros(n)
    held[:-1] = times[1:] - times[:-1]
    held[last] = 0.0
    squares = np.square(vectors).sum(axis=1)
    before = np.vstack([uniform_bp(k), bp[:-1]])[order]
    market = np.square(before).sum(axis=1) - squares
    return LedgerSums(
        users=sorted_users[first],
        first=times[first],
        last=times[last],
        entries=np.diff(np.append(first, n)),
        vectors=vectors[last],
        held_sq=_sums(group, squares * held, m),
        held_bp=np.column_stack(
            [_sums(group, vectors[:, c] * held, m) for c in range(k)]
        ),
        market_sq=_sums(group, market, m),
        market_bp=np.column_stack(
            [_sums(group, before[:, c] - vectors[:, c], m) for c in range(k)]
        ),
        final=order[last],
    )


def _sums(group: np.ndarray, values: np.ndarray, m: int) -> np.ndarray:
    # bincount adds each group's values in input order, as fold does.
    return np.bincount(group, values, minlength=m)


# The relative score subtracts integrals over each forecaster's whole time and
# divides by the community's time: float rounding of ~1e-16 of the first grows
# by their ratio. Up to this ratio it stays below ~1e-13 of the score.
PRECISE_SPAN = 1_000


def sums_are_precise(
    start: int, end: int, sums: LedgerSums, community_times: ArrayLike
) -> bool:
    """Return whether scores_from_sums agrees with score_question to ~1e-13.

    Not when the window ends soon after the community's first point compared
    with the earliest forecast: the caller then scores from every entry.
    """
    times = np.asarray(community_times)
    if not times.size or not sums.first.size:
        return True
    start, end = (int(moment) for moment in microseconds([start, end]))
    born = int(np.clip(times[0], start, end))
    return end - int(sums.first.min()) <= PRECISE_SPAN * (end - born)


def scores_from_sums(
    start: int,
    end: int,
    sums: LedgerSums,
    community_times: ArrayLike,
    community_vectors: ArrayLike,
    outcome: int,
    ordered: bool,
    early: tuple[ArrayLike, ArrayLike, ArrayLike],
) -> QuestionScores:
    """Return score_question's scores from the forecasters' sums at `end`.

    Every entry must be older than `end`. `early` is (micros, users, vectors in
    probabilities) of the entries older than the community's first point: the
    relative score counts only time after it, so their time before it is
    taken off. `final_entries` is left empty: the caller knows the entry ids.
    """
    start, end = (int(moment) for moment in microseconds([start, end]))
    community = CommunityBrier.build(
        start, end, community_times, community_vectors, outcome
    )
    final = sums.vectors / BP
    k = final.shape[1]
    final_brier = brier_many(final, outcome)
    # Closed holds: Σ (Σ_k p_k² − 2·p_o + 1)·length; then the last, until end.
    own = sums.held_sq / BP**2 - 2.0 * sums.held_bp[:, outcome] / BP
    own += sums.last - sums.first
    own += final_brier * (end - sums.last)
    waiting = community.integral(sums.first)
    counted = (end - sums.first) + community.existence(sums.first)
    averaged = (own + waiting) / counted
    relative = _relative(sums, community, end, own, waiting, early, outcome)
    points = 100.0 * (sums.market_sq / BP**2 - 2.0 * sums.market_bp[:, outcome] / BP)
    p_outcome = final[:, outcome]
    n_users = sums.users.size
    with np.errstate(divide="ignore"):
        logs = np.log(p_outcome)
    return QuestionScores(
        users=sums.users,
        brier=final_brier,
        time_averaged_brier=averaged,
        relative_brier=relative,
        log_score=logs,
        baseline=baseline_scores(p_outcome, k),
        peer=peer_scores(p_outcome),
        points=points,
        rps=(
            ranked_probability_score_many(final, outcome)
            if ordered
            else np.full(n_users, np.nan)
        ),
        entries=sums.entries,
        final_entries=np.empty(0, np.int64),
    )


def _relative(sums, community, end, own, waiting, early, outcome) -> np.ndarray:
    """Return the mean of s_u − brier(C) over the time the community exists."""
    exists_for = community.existence(end)
    if exists_for <= 0:
        return np.full(sums.users.size, np.nan)
    born = int(community.knots[0])
    # Own time before the community's first point: each early entry held
    # until the forecaster's next early one, or until that point.
    before_born = np.zeros(sums.users.size)
    micros, users, vectors = early
    if np.size(micros):
        entries = entries_by_user(born, micros, users, vectors)
        scores = brier_many(entries.vectors, outcome)
        lengths = np.minimum(entries.until, born) - np.minimum(entries.times, born)
        held = np.bincount(entries.group, scores * lengths, entries.users.size)
        before_born[np.searchsorted(sums.users, entries.users)] = held
    community_after = community.integral(end) - waiting
    return (own - before_born - community_after) / exists_for
