"""Calibration points (forecast probability, outcome) for a user or the site."""

from contextlib import nullcontext

import numpy as np
from django.db import connections, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from forecasts import scoring
from forecasts.ledger import BP
from forecasts.models import CONTINUOUS_KINDS, Entry, Kind
from forecasts.selectors.scores import counted_scores
from tournaments.visibility import publicly_counted

MODES = ("final", "all")


def calibration_points(
    *,
    user=None,
    tag=None,
    mode="final",
    now=None,
    include_private: bool = False,
    questions=None,
):
    """Return (probabilities, outcomes) arrays over resolved, non-annulled questions.

    A question counts only once its scheduled close has passed, so questions
    that can only resolve Yes early do not bias the chart (Metaculus#1480).
    Binary questions give P(yes); multiple choice one point per option.
    include_private and questions are counted_scores's.
    """
    now = now or timezone.now()
    scope = {"include_private": include_private, "questions": questions}
    rows = (_final_rows if mode == "final" else _all_rows)(user, tag, now, scope)
    probs, outcomes = [], []
    for vector, outcome, kind in rows:
        if kind in CONTINUOUS_KINDS:
            continue
        if kind == Kind.BINARY:
            probs.append(vector[1])
            outcomes.append(outcome == 1)
            continue
        probs.extend(vector)
        outcomes.extend(k == outcome for k in range(len(vector)))
    return np.asarray(probs, dtype=float) / BP, np.asarray(outcomes, dtype=float)


def _final_rows(user, tag, now, scope):
    return _final_scores(user, tag, now, scope).values_list(
        "final_bp", "outcome", "question__kind"
    )


def _final_scores(user, tag, now, scope) -> QuerySet:
    # The score row holds the close time, outcome and final forecast, so the
    # fast path joins nothing (only a tag filter reaches the question's tags).
    scores = counted_scores(**scope).filter(close_time__lte=now)
    if user is not None:
        scores = scores.filter(user=user)
    if tag:
        scores = scores.filter(question__tags__slug=tag)
    return scores


def _all_rows(user, tag, now, scope):
    return _all_entries(user, tag, now, scope).values_list(
        "probabilities_bp", "question__head__outcome", "question__kind"
    )


def _all_entries(user, tag, now, scope) -> QuerySet:
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
    if scope["questions"] is not None:
        return entries.filter(question_id__in=scope["questions"])
    if not scope["include_private"]:
        entries = entries.filter(publicly_counted("question_id"))
    return entries


WAITING_SHOWN = 10


def waiting_for_close(
    *, user=None, tag=None, include_private: bool = False, now=None
) -> list[dict]:
    """Return the resolved questions calibration does not count yet, soonest first.

    A resolved question counts once its scheduled close has passed (see
    calibration_points); each row has the question's slug, title and close.
    At most WAITING_SHOWN, in one query.
    """
    now = now or timezone.now()
    scores = counted_scores(include_private=include_private).filter(close_time__gt=now)
    if user is not None:
        scores = scores.filter(user=user)
    if tag:
        scores = scores.filter(question__tags__slug=tag)
    rows = (
        scores.values("question__slug", "question__title", "close_time")
        .distinct()
        .order_by("close_time", "question__slug")[:WAITING_SHOWN]
    )
    return [
        {
            "slug": r["question__slug"],
            "title": r["question__title"],
            "close": r["close_time"],
        }
        for r in rows
    ]


def pit_calibration_for(
    *, user=None, tag=None, include_private: bool = False, questions=None
) -> scoring.PitCalibration:
    """Return the PIT histogram and interval coverage of final numeric/date forecasts.

    One query over the same scores as calibration_for's final mode.
    """
    scope = {"include_private": include_private, "questions": questions}
    scores = _final_scores(user, tag, timezone.now(), scope)
    pits = scores.filter(pit__isnull=False).values_list("pit", flat=True)
    return scoring.pit_calibration(np.fromiter(pits, dtype=float))


def calibration_for(
    *,
    user=None,
    tag=None,
    mode="final",
    include_private: bool = False,
    questions=None,
) -> scoring.Calibration:
    """Return the calibration table and Murphy terms for a user or the whole site.

    One query: the database sums n, Σp, Σp², Σo and Σp·o per bin, exactly, in
    basis points; the same points as calibration_points, never read one by one.
    The all mode joins the ledger only for scores over more than one entry.
    include_private and questions are counted_scores's.
    """
    scope = {"include_private": include_private, "questions": questions}
    scores = _final_scores(user, tag, timezone.now(), scope)
    binary = scores.filter(final_p_yes_bp__isnull=False)
    # Numeric and date scores carry a PIT value and are counted apart.
    multiple = scores.filter(final_p_yes_bp__isnull=True, pit__isnull=True)
    connection = connections[scores.db]
    lateral = mode == "all" and connection.vendor == "postgresql"
    if lateral:
        points = (
            _each_entry(binary, "p_yes_bp", "final_p_yes_bp", "e.p_yes_bp IS NOT NULL"),
            _each_entry(multiple, "probabilities_bp", "final_bp", "e.p_yes_bp IS NULL"),
        )
    elif mode == "all":
        # A score over one entry has it as its final forecast: only scores
        # over several entries need the ledger (Score.entries counts the
        # forecaster's entries before window_end, the same the join reads).
        several = {"entries__gt": 1}
        points = (
            _union(
                _final_points(binary.filter(entries=1)),
                _with_entries(
                    binary.filter(**several),
                    "p_yes_bp AS cal_bp",
                    "e.p_yes_bp IS NOT NULL",
                ),
            ),
            _union(
                _final_vectors(multiple.filter(entries=1)),
                _with_entries(
                    multiple.filter(**several),
                    "probabilities_bp AS cal_vector",
                    "e.p_yes_bp IS NULL",
                ),
            ),
        )
    else:
        points = (_final_points(binary), _final_vectors(multiple))
    sums = np.zeros((5, scoring.CALIBRATION_BINS), dtype=object)
    for index, *values in _binned_sums(*points, connection, lateral=lateral):
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


def _sql(scores: QuerySet, forecast: str) -> tuple[str, tuple]:
    rows = scores.annotate(cal_outcome=F("outcome"))
    return rows.values_list(forecast, "cal_outcome").query.sql_with_params()


def _final_points(scores: QuerySet) -> tuple[str, tuple]:
    return _sql(scores.annotate(cal_bp=F("final_p_yes_bp")), "cal_bp")


def _final_vectors(scores: QuerySet) -> tuple[str, tuple]:
    return _sql(scores.annotate(cal_vector=F("final_bp")), "cal_vector")


def _union(first: tuple[str, tuple], second: tuple[str, tuple]) -> tuple[str, tuple]:
    """Return SQL of both statements' rows (named as the first's columns)."""
    return f"{first[0]} UNION ALL {second[0]}", (*first[1], *second[1])


def _with_entries(scores: QuerySet, forecast: str, kind: str) -> tuple[str, tuple]:
    """Return SQL of (forecast, outcome) for every entry behind the scores.

    A score's entries are its forecaster's on its question made before the
    scored window ended: the score table joined to the ledger, nothing else.
    `kind` keeps the entries of the scores' kind of question, so that the
    planner expands no binary entry's vector for the multiple-choice half.
    """
    columns = ("question_id", "user_id", "window_end", "outcome")
    sql, params = scores.values_list(*columns).query.sql_with_params()
    connection = connections[scores.db]
    entries = connection.ops.quote_name(Entry._meta.db_table)
    # The scores first, then their entries by index: left to itself, the
    # planner misjudges the join and probes the scores once per entry.
    materialized = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    scores_first = f"WITH c AS {materialized}({sql}) SELECT * FROM c"
    return (
        f"SELECT e.{forecast}, s.outcome AS cal_outcome FROM ({scores_first}) s "
        f"JOIN {entries} e "
        "ON e.question_id = s.question_id AND e.user_id = s.user_id "
        f"AND e.created_at < s.window_end WHERE {kind}",
        params,
    )


def _each_entry(scores: QuerySet, column: str, final: str, kind: str) -> tuple:
    """Return PostgreSQL SQL of (forecast, outcome) for every entry behind the scores.

    One pass over the scores: a score over one entry gives its stored final
    forecast; only one over several entries (Score.entries counts those made
    before window_end) reaches into the ledger, through a lateral join whose
    condition on c.entries PostgreSQL checks before it touches the index.
    `kind` keeps the entries of the scores' kind of question.
    """
    columns = ("question_id", "user_id", "window_end", "outcome", "entries", final)
    sql, params = scores.values_list(*columns).query.sql_with_params()
    entries = connections[scores.db].ops.quote_name(Entry._meta.db_table)
    name = "cal_bp" if column == "p_yes_bp" else "cal_vector"
    return (
        f"SELECT COALESCE(e.{column}, c.{final}) AS {name}, c.outcome AS cal_outcome "
        f"FROM ({sql}) c LEFT JOIN LATERAL (SELECT e.{column} FROM {entries} e "
        "WHERE c.entries > 1 AND e.question_id = c.question_id "
        f"AND e.user_id = c.user_id AND e.created_at < c.window_end AND {kind} "
        # OFFSET 0 keeps the subquery apart, so the entries test gates it.
        "OFFSET 0) e ON TRUE",
        params,
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


def _binned_sums(
    binary: tuple, multiple: tuple, connection, *, lateral: bool = False
) -> list[tuple]:
    """Return (bin, n, Σbp, Σbp², Σo, Σbp·o) per non-empty bin of tenths.

    `binary` is SQL (with params) of rows (cal_bp: P(yes) in bp, cal_outcome),
    `multiple` of rows (cal_vector: the list of bp, cal_outcome); `lateral`
    when they hold _each_entry's lateral joins.
    """
    (binary_sql, binary_params), (multiple_sql, multiple_params) = binary, multiple
    points = (
        "SELECT b.cal_bp AS bp, CASE WHEN b.cal_outcome = 1 THEN 1 ELSE 0 END AS o "
        f"FROM ({binary_sql}) b UNION ALL "
        + _EXPAND_OPTIONS[connection.vendor].format(rows=multiple_sql)
    )
    # bp² ≤ 10⁸ fits a 32-bit integer, whose SUM is a 64-bit integer: exact,
    # and PostgreSQL hashes the ten groups instead of sorting every point.
    sql = (
        "SELECT p.bp / 1000, COUNT(*), SUM(p.bp), SUM(CAST(p.bp AS INTEGER) * p.bp), "
        f"SUM(p.o), SUM(p.bp * p.o) FROM ({points}) p GROUP BY p.bp / 1000"
    )
    scope = transaction.atomic(using=connection.alias) if lateral else nullcontext()
    with scope, connection.cursor() as cursor:
        if lateral:
            # Once the score table holds other forecasters' rows, PostgreSQL
            # puts a Memoize node on the lateral join, keyed on each score:
            # every lookup misses, and hashing 100,000 keys cost 110-120 ms
            # where the query takes 68-75 ms without it (BENCHMARKS.md).
            cursor.execute("SET LOCAL enable_memoize = off")
        cursor.execute(sql, (*binary_params, *multiple_params))
        return cursor.fetchall()
