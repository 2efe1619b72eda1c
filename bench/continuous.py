"""7. Numeric questions at scale: scoring 100,000 CDFs, their community, their bytes.

A log-scale numeric question (open upper bound) with 20,000 forecasters × 5
entries, each a 201-point CDF drawn from a logistic belief, written set-based
with every hash by the README's recipe (salted, 6-decimal strings).
References, measured in the same run: COPY of the same entries' CDF column
out (scoring), numpy's plain mean of the same CDF array (community), and the
201 values as float64 (bytes). Agreement: every stored CRPS against a
midpoint integration of the forecaster's final CDF.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection
from django.test import override_settings

from bench import data
from bench.community import NO_CACHE
from bench.continuous_ledger import write_cdf_ledger
from bench.timing import Figure, best_of, seconds
from forecasts import scoring
from forecasts.ledger import MILLION
from forecasts.models import Entry, Question, Score, Standing
from forecasts.selectors.community import community_now
from forecasts.services import (
    create_question,
    extend_community_series,
    score_resolution,
)

NAME = "continuous"
RANGE = (16_384.0, 4_194_304.0)  # tokens: the R2 context-window seed's range
CHECKED = 500  # forecasters whose CRPS is integrated again


@dataclass(frozen=True)
class Size:
    forecasters: int
    per_forecaster: int
    days: int
    repeat: int


SIZES = {"full": Size(20_000, 5, 90, 3), "tiny": Size(20, 2, 3, 1)}


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return scoring, community, bytes and agreement figures for one question."""
    staff = data.staff_user()
    question, end = _question(size, rng)
    before = _entry_table_bytes()
    forecasters = data.make_forecasters(size.forecasters, prefix=f"x{question.pk}-")
    ledger = write_cdf_ledger(rng, question, forecasters, size.per_forecaster)
    stored = _entry_table_bytes() - before if before is not None else None
    extend_community_series(question=question, until=end)
    value = float(np.exp(np.mean(np.log(RANGE))))  # the range's geometric middle
    reference = best_of(lambda: copy_cdfs_out(question, end), 3)
    scored = min(_score_once(question, end, staff, value) for _ in range(size.repeat))
    what = f"{len(ledger):,} CDFs, {size.forecasters:,} forecasters"
    figures = [
        Figure(
            NAME,
            f"score a numeric resolution, all scores written ({what})",
            scored,
            "s",
            "COPY of the same entries' CDFs out",
            reference,
            target=3.0,
            notes={
                "largest CRPS difference from a midpoint integration": (
                    crps_difference(question, ledger, value)
                )
            },
        ),
        *_community_figures(size, question),
    ]
    if stored is not None:
        figures += _bytes_figures(question, stored, len(ledger))
    return figures


def _question(size: Size, rng) -> tuple[Question, datetime]:
    close = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
    open_time = close - timedelta(days=size.days)
    question = create_question(
        slug=f"bench-numeric-{rng.integers(1 << 30)}",
        title="Synthetic numeric question",
        body="Generated for benchmarks.",
        resolution_criteria="Resolved by the benchmark.",
        kind="numeric",
        range_min=RANGE[0],
        range_max=RANGE[1],
        scale="log",
        open_lower_bound=False,
        open_upper_bound=True,
        unit="tokens",
        open_time=open_time,
        close_time=close,
        resolve_time=close,
        published_at=open_time,
    )
    return question, close


def copy_cdfs_out(question, end) -> int:
    """Stream the columns scoring reads (the CDF among them) out; return bytes."""
    sql = (
        "SELECT id, created_at, user_id, probabilities_bp FROM forecasts_entry "
        "WHERE question_id = %s AND created_at < %s ORDER BY sequence"
    )
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql, [question.pk, end])
            return len(cursor.fetchall())
        with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", [question.pk, end]) as copy:
            return sum(len(block) for block in copy)


def _score_once(question, end, staff, value: float) -> float:
    event = data.resolve(question, outcome=1, effective_at=end, by=staff, value=value)
    elapsed, done = seconds(lambda: score_resolution(resolution_id=event.pk))
    assert done, "the resolution was not scored"
    return elapsed


def crps_difference(question, ledger, value: float) -> float:
    """Return the largest |stored CRPS − midpoint integral| over CHECKED forecasters.

    The latest score version's CRPS is of each forecaster's final CDF (the
    last entry in the ledger, all before the close); the integral sums
    (F(u) − 1{u ≥ u_y})² at 40,000 midpoints with F read linearly between
    grid points, which errs by under 1e-9 for these CDFs.
    """
    u_y = float(question.axis().to_unit(value))
    users = np.unique(ledger.users)[:CHECKED]
    last = {int(u): i for i, u in enumerate(ledger.users.tolist())}
    version = Score.objects.filter(question=question, current=True)
    stored = dict(
        version.filter(user_id__in=users.tolist()).values_list("user_id", "crps")
    )
    thresholds = (np.arange(40_000) + 0.5) / 40_000
    grid = np.linspace(0.0, 1.0, 201)
    worst = 0.0
    for user in users.tolist():
        cdf = ledger.cdfs[last[user]] / MILLION
        f = np.interp(thresholds, grid, cdf)
        integral = float(np.mean((f - (thresholds >= u_y)) ** 2))
        worst = max(worst, abs(integral - stored[user]))
    return worst


def _community_figures(size: Size, question) -> list[Figure]:
    question = Question.objects.select_related("head").get(pk=question.pk)
    standing = _standing_cdfs(question)
    floats = scoring.cdf_floats(standing)
    compute = best_of(lambda: scoring.continuous_community(floats), 7)
    plain = best_of(lambda: floats.mean(axis=0), 7)

    def uncached():
        with override_settings(CACHES=NO_CACHE):
            return community_now([question])

    fresh = best_of(uncached, size.repeat)
    what = f"{len(standing):,} standing CDFs"
    reference = "numpy's plain mean of the same CDF array"
    return [
        Figure(
            NAME,
            f"compute the community mean over {what}",
            compute * 1000,
            "ms",
            reference,
            plain * 1000,
            target=50.0,
            on="value",
        ),
        Figure(
            NAME,
            "community_now uncached (read + compute)",
            fresh * 1000,
            "ms",
            reference,
            plain * 1000,
        ),
    ]


def _standing_cdfs(question) -> np.ndarray:
    rows = Standing.objects.filter(question=question).order_by("sequence")
    return np.array(list(rows.values_list("probabilities_bp", flat=True)))


def _entry_table_bytes() -> int | None:
    """Return the entry table's size with its indexes and TOAST (PostgreSQL)."""
    if connection.vendor != "postgresql":
        return None
    table = Entry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_total_relation_size(%s)", [table])
        return int(cursor.fetchone()[0])


def _bytes_figures(question, stored: int, entries: int) -> list[Figure]:
    """Return the bytes per continuous entry: on disk in all, and the CDF column."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT avg(pg_column_size(probabilities_bp)), avg(pg_column_size(e.*)) "
            "FROM forecasts_entry e WHERE question_id = %s",
            [question.pk],
        )
        column, row = (float(v) for v in cursor.fetchone())
    raw = 201 * 8
    reference = "the 201 values as float64 (1,608 bytes)"
    return [
        Figure(
            NAME,
            "bytes per continuous entry (table, indexes and TOAST)",
            stored / entries,
            "B",
            reference,
            raw,
            notes={"row (pg_column_size), B": row},
        ),
        Figure(
            NAME,
            "bytes per continuous entry: the CDF column (jsonb, millionths)",
            column,
            "B",
            reference,
            raw,
        ),
    ]
