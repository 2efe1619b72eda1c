"""1. Scoring at scale: score one resolution of a question with a huge ledger.

Reference: the database streaming the same entry columns out, with
`COPY (SELECT …) TO STDOUT` on PostgreSQL (a plain SELECT elsewhere).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

import numpy as np
from django.db import connection

from bench import data
from bench.naive import naive_score
from bench.score_writes import write_figures
from bench.timing import Figure, best_of, peak_bytes, seconds
from forecasts import scoring
from forecasts.models import SCORE_FIELDS, CommunityPoint, LedgerHead, Score
from forecasts.selectors.arrays import community_arrays, to_microseconds
from forecasts.selectors.running import ledger_sums
from forecasts.services import extend_community_series, score_resolution
from forecasts.services.score_columns import early_entries, score_columns

NAME = "scoring"


@dataclass(frozen=True)
class Size:
    forecasters: int
    per_forecaster: int
    days: int
    naive_forecasters: int
    naive_days: int
    repeat: int


SIZES = {
    "full": Size(100_000, 10, 365, 1_000, 30, 2),
    "tiny": Size(40, 3, 3, 10, 2, 1),
}


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return the scoring figures: at scale, its phases, memory, and the naive loop."""
    staff = data.staff_user()
    question, ledger, end = _big_question(size, rng)
    rebuild = _rebuild(question, end, 3)
    reference = best_of(lambda: copy_entries_out(question, end), 3)
    scored = min(_score_once(question, end, staff) for _ in range(size.repeat))
    phases = _phases(question, end)
    every_entry = every_entry_figure(question, end, staff, reference)
    peak, _ = peak_bytes(lambda: _score_once(question, end, staff))
    columns = ledger.micros.nbytes + ledger.users.nbytes * 2 + ledger.bp.nbytes * 2
    return [
        *_scale_figures(size, len(ledger), scored, rebuild, reference, phases),
        Figure(
            NAME,
            "peak memory allocated while scoring",
            peak / 2**20,
            "MiB",
            "the entry columns as numpy arrays",
            columns / 2**20,
            target=2.5,
        ),
        every_entry,
        *write_figures(question, end, staff, size.repeat),
        *naive_figures(size, rng, staff),
    ]


def _big_question(size: Size, rng):
    now = datetime.now(UTC).replace(microsecond=0)
    close = now - timedelta(days=1)
    question = data.make_question(
        f"bench-scale-{rng.integers(1 << 30)}",
        open_time=close - timedelta(days=size.days),
        close_time=close,
    )
    forecasters = data.make_forecasters(size.forecasters, prefix=f"s{question.pk}-")
    ledger = data.random_ledger(rng, question, forecasters, size.per_forecaster)
    return question, ledger, close


def copy_entries_out(question, end) -> int:
    """Stream the entry columns that scoring reads out of the database; return bytes."""
    sql = (
        "SELECT id, created_at, user_id, p_yes_bp FROM forecasts_entry "
        "WHERE question_id = %s AND created_at < %s ORDER BY sequence"
    )
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, [question.pk, end])
            return len(cursor.fetchall())
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", [question.pk, end]) as copy:
            return sum(len(block) for block in copy)


def _score_once(question, end, staff) -> float:
    event = data.resolve(question, outcome=1, effective_at=end, by=staff)
    elapsed, done = seconds(lambda: score_resolution(resolution_id=event.pk))
    assert done, "the resolution was not scored"
    return elapsed


def _phases(question, end) -> dict[str, float]:
    """Return the time of each read and of the maths, outside score_resolution."""
    head = LedgerHead.objects.get(pk=question.pk)
    summed = ledger_sums(question, head, before=end)
    assert summed is not None, "the benchmark's ledger has no running sums"
    sums, _ = summed
    c_times, c_vectors = community_arrays(question, before=end)
    start, stop = to_microseconds(question.open_time), to_microseconds(end)
    early = early_entries(question, start, stop, c_times)
    maths = best_of(
        lambda: scoring.scores_from_sums(
            start, stop, sums, c_times, c_vectors, 1, False, early
        ),
        2,
    )
    return {
        "check and read the running sums (ledger_sums)": best_of(
            lambda: ledger_sums(question, head, before=end), 2
        ),
        "read community series": best_of(
            lambda: community_arrays(question, before=end), 2
        ),
        "read the entries before the community's first point": best_of(
            lambda: early_entries(question, start, stop, c_times), 2
        ),
        "scoring maths (scores_from_sums)": maths,
    }


def every_entry_figure(question, end, staff, reference) -> Figure:
    """Return the columns scored from every entry, and their agreement with the sums'.

    This is the path of a ledger whose sums do not add up (an entry that came
    in another way), and the agreement check beside the speed-up.
    """
    event = data.resolve(question, outcome=1, effective_at=end, by=staff)
    head = LedgerHead.objects.get(pk=question.pk)
    fast = score_columns(question, head, event, end)
    elapsed, slow = seconds(
        lambda: score_columns(question, head, event, end, sums=False)
    )
    largest = 0.0
    for name in SCORE_FIELDS:
        a, b = np.asarray(fast[name], float), np.asarray(slow[name], float)
        assert np.array_equal(np.isnan(a), np.isnan(b)), name
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        # Relative to the score's size, or absolute below 1 (points run to 100s).
        gap = np.abs(a - b) / np.maximum(np.abs(b), 1.0)
        largest = max(largest, float(np.max(gap, initial=0.0)))
    assert largest <= 1e-12, f"sums and entries disagree by {largest}"
    assert np.array_equal(fast["final_entry_id"], slow["final_entry_id"])
    return Figure(
        NAME,
        "  for comparison: score columns from every entry (no sums), unwritten",
        elapsed,
        "s",
        "COPY of the same entries out",
        reference,
        notes={"largest difference from the sums' scores (relative)": largest},
    )


def _rebuild(question, end, repeat: int) -> float:
    """Return the best of `repeat` rebuilds of the whole series from the ledger.

    Each starts from no point stored: the points (derived from the ledger,
    never part of it) are deleted before each, outside the timing. The last
    rebuild's points stay, as time passing would have stored them.
    """
    times = []
    for _ in range(repeat):
        CommunityPoint.objects.filter(question=question).delete()
        rebuild = partial(extend_community_series, question=question, until=end)
        times.append(seconds(rebuild)[0])
    return min(times)


def _scale_figures(size, entries, scored, rebuild, reference, phases):
    what = f"{entries:,} entries, {size.forecasters:,} forecasters"
    copy = "COPY of the same entries out"
    figures = [
        Figure(
            NAME,
            f"score a resolution, all scores written ({what})",
            scored,
            "s",
            copy,
            reference,
            target=1.5,
        ),
        Figure(
            NAME,
            "rebuild the whole community series from the ledger "
            f"(hourly over {size.days} days)",
            rebuild,
            "s",
            copy,
            reference,
            target=3.0,
        ),
    ]
    for name, value in phases.items():
        figures.append(Figure(NAME, f"  phase: {name}", value, "s", copy, reference))
    rest = scored - sum(phases.values())
    figures.append(
        Figure(
            NAME,
            "  phase: the rest (build and write Score rows)",
            rest,
            "s",
            copy,
            reference,
        )
    )
    return figures


def naive_figures(size: Size, rng, staff) -> list[Figure]:
    """Score the same small question with score_resolution and the naive loop."""
    now = datetime.now(UTC).replace(microsecond=0)
    close = now - timedelta(days=1)
    question = data.make_question(
        f"bench-naive-{rng.integers(1 << 30)}",
        open_time=close - timedelta(days=size.naive_days),
        close_time=close,
    )
    forecasters = data.make_forecasters(
        size.naive_forecasters, prefix=f"n{question.pk}-"
    )
    ledger = data.random_ledger(rng, question, forecasters, size.per_forecaster)
    extend_community_series(question=question, until=close)
    fast = _score_once(question, close, staff)
    naive_event = data.resolve(question, outcome=1, effective_at=close, by=staff)
    naive, _ = seconds(lambda: naive_score(naive_event.pk))
    difference = largest_difference(naive_event.pk, question)
    return [
        Figure(
            NAME,
            f"naive per-entry ORM loop ({len(ledger):,} entries)",
            naive,
            "s",
            "score_resolution on the same entries",
            fast,
            notes={"largest difference between the two": difference},
        ),
    ]


def largest_difference(naive_resolution_id: int, question) -> float:
    """Return the largest difference between the naive and the vectorised scores."""
    rows = Score.objects.filter(question=question).order_by("resolution_id", "user_id")
    by_version = {}
    for resolution_id, user_id, *values in rows.values_list(
        "resolution_id", "user_id", *SCORE_FIELDS
    ):
        by_version.setdefault(resolution_id, {})[user_id] = values
    naive = by_version.pop(naive_resolution_id)
    (fast,) = by_version.values()
    assert naive.keys() == fast.keys(), "the naive loop scored other users"
    pairs = [
        (a, b) for user in fast for a, b in zip(fast[user], naive[user], strict=True)
    ]
    if any((a is None) != (b is None) for a, b in pairs):
        return float("inf")
    return max(abs(a - b) for a, b in pairs if a is not None)
