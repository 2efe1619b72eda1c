"""Calibration points (forecast probability, outcome) for a user or the site."""

from dataclasses import dataclass

import numpy as np
from django.db import connections
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from forecasts import scoring
from forecasts.ledger import BP
from forecasts.models import Entry, Kind
from forecasts.selectors.scores import latest_scores

MODES = ("final", "all")


def calibration_points(*, user=None, tag=None, mode="final", now=None):
    """Return (probabilities, outcomes) arrays over resolved, non-annulled questions.

    A question counts only once its scheduled close has passed, so questions
    that can only resolve Yes early do not bias the chart (Metaculus#1480).
    Binary questions give P(yes); multiple choice one point per option.
    """
    now = now or timezone.now()
    rows = _final_rows(user, tag, now) if mode == "final" else _all_rows(user, tag, now)
    probs, outcomes = [], []
    for vector, outcome, kind in rows:
        if kind == Kind.BINARY:
            probs.append(vector[1])
            outcomes.append(outcome == 1)
            continue
        probs.extend(vector)
        outcomes.extend(k == outcome for k in range(len(vector)))
    return np.asarray(probs, dtype=float) / BP, np.asarray(outcomes, dtype=float)


def _final_rows(user, tag, now):
    return _final_scores(user, tag, now).values_list(
        "final_bp", "outcome", "question__kind"
    )


def _final_scores(user, tag, now) -> QuerySet:
    # The score row holds the close time, outcome and final forecast, so the
    # fast path joins nothing (only a tag filter reaches the question's tags).
    scores = latest_scores().filter(close_time__lte=now)
    if user is not None:
        scores = scores.filter(user=user)
    if tag:
        scores = scores.filter(question__tags__slug=tag)
    return scores


def _all_rows(user, tag, now):
    return _all_entries(user, tag, now).values_list(
        "probabilities_bp", "question__head__outcome", "question__kind"
    )


def _all_entries(user, tag, now) -> QuerySet:
    entries = Entry.objects.filter(
        question__close_time__lte=now,
        question__head__resolutions__gt=0,
        question__head__annulled=False,
        question__resolutions__version=F("question__head__resolutions"),
        created_at__lt=F("question__resolutions__scoring__window_end"),
    )
    if user is not None:
        entries = entries.filter(user=user)
    if tag:
        entries = entries.filter(question__tags__slug=tag)
    return entries


def calibration_for(*, user=None, tag=None, mode="final") -> scoring.Calibration:
    """Return the calibration table and Murphy terms for a user or the whole site.

    One query: the database sums n, Σp, Σp², Σo and Σp·o per bin, exactly, in
    basis points; the same points as calibration_points, never read one by one.
    """
    now = timezone.now()
    if mode == "final":
        rows, columns = _final_scores(user, tag, now), _FINAL_COLUMNS
    else:
        rows, columns = _all_entries(user, tag, now), _ENTRY_COLUMNS
    sums = np.zeros((5, scoring.CALIBRATION_BINS), dtype=object)
    for index, *values in _binned_sums(rows, columns):
        sums[:, min(int(index), scoring.CALIBRATION_BINS - 1)] += [
            int(v) for v in values
        ]
    counts, bp, bp_squares, outcomes, bp_outcomes = sums
    return scoring.calibration_from_sums(
        counts.astype(np.int64),
        [v / BP for v in bp],
        [v / BP**2 for v in bp_squares],
        outcomes.astype(float),
        [v / BP for v in bp_outcomes],
    )


# Multiple choice gives a point per option: the stored list, expanded in SQL.
_EXPAND_OPTIONS = {
    "postgresql": (
        "SELECT (e.value)::integer AS bp, "
        "CASE WHEN e.idx - 1 = r.cal_outcome THEN 1 ELSE 0 END AS o "
        "FROM ({rows}) r CROSS JOIN LATERAL "
        "jsonb_array_elements_text(r.cal_vector) WITH ORDINALITY AS e(value, idx)"
    ),
    "sqlite": (
        "SELECT CAST(e.value AS INTEGER) AS bp, "
        "CASE WHEN CAST(e.key AS INTEGER) = r.cal_outcome THEN 1 ELSE 0 END AS o "
        "FROM ({rows}) r, json_each(r.cal_vector) AS e"
    ),
}


@dataclass(frozen=True)
class _Columns:
    binary: Q
    p_yes: str
    vector: str
    outcome: str


_FINAL_COLUMNS = _Columns(
    Q(final_p_yes_bp__isnull=False), "final_p_yes_bp", "final_bp", "outcome"
)
_ENTRY_COLUMNS = _Columns(
    Q(question__kind=Kind.BINARY),
    "p_yes_bp",
    "probabilities_bp",
    "question__head__outcome",
)


def _binned_sums(rows: QuerySet, columns: _Columns) -> list[tuple]:
    """Return (bin, n, Σbp, Σbp², Σo, Σbp·o) per non-empty bin of tenths."""
    outcome = F(columns.outcome)
    binary = (
        rows.filter(columns.binary)
        .annotate(cal_bp=F(columns.p_yes), cal_outcome=outcome)
        .values_list("cal_bp", "cal_outcome")
    )
    multiple = (
        rows.exclude(columns.binary)
        .annotate(cal_vector=F(columns.vector), cal_outcome=outcome)
        .values_list("cal_vector", "cal_outcome")
    )
    binary_sql, binary_params = binary.query.sql_with_params()
    multiple_sql, multiple_params = multiple.query.sql_with_params()
    connection = connections[rows.db]
    points = (
        "SELECT b.cal_bp AS bp, CASE WHEN b.cal_outcome = 1 THEN 1 ELSE 0 END AS o "
        f"FROM ({binary_sql}) b UNION ALL "
        + _EXPAND_OPTIONS[connection.vendor].format(rows=multiple_sql)
    )
    sql = (
        "SELECT p.bp / 1000, COUNT(*), SUM(p.bp), SUM(CAST(p.bp AS BIGINT) * p.bp), "
        f"SUM(p.o), SUM(p.bp * p.o) FROM ({points}) p GROUP BY p.bp / 1000"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*binary_params, *multiple_params))
        return cursor.fetchall()
