"""Columns of the ledger as numpy arrays, for the pure scoring maths.

On PostgreSQL the columns stream out with one binary COPY straight into numpy
(no Python object per row); other databases go through values_list.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connections
from django.db.models import IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from forecasts.ledger import BP, MILLION
from forecasts.models import CommunityPoint, Entry, Question
from forecasts.scoring import GRID_POINTS

# PostgreSQL's binary timestamps count microseconds from 2000-01-01 UTC.
_PG_EPOCH_US = 946_684_800_000_000
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MICROSECOND = timedelta(microseconds=1)
_COPY_HEADER = 19  # signature (11), flags (4), extension length (4)
_COPY_TRAILER = 2


class CopyShapeError(ValueError):
    """A binary COPY row that is not the fixed-width, non-null shape expected."""


@dataclass(frozen=True)
class EntryArrays:
    """Entry columns; `micros` is created_at in exact int64 microseconds, for
    scoring, and `times` the same in float seconds, for the community series."""

    ids: np.ndarray
    times: np.ndarray
    users: np.ndarray
    vectors: np.ndarray
    micros: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def entry_arrays(
    question: Question, *, before: datetime, below_sequence: int | None = None
) -> EntryArrays:
    """Return the question's entries created before `before`, in ledger order.

    `below_sequence` keeps only the entries before that one in the ledger.
    """
    entries = Entry.objects.filter(question=question, created_at__lt=before)
    if below_sequence is not None:
        entries = entries.filter(sequence__lt=below_sequence)
    postgresql = connections[entries.db].vendor == "postgresql"
    if postgresql and question.is_continuous:
        return _cdf_entry_arrays(question, entries)
    columns = option_columns(question)
    rows = (
        entries.annotate(**columns)
        .order_by("sequence")
        .values_list("id", "created_at", "user_id", *columns)
    )
    if postgresql:
        table = copy_arrays(rows, ("i8", "i8", "i8") + ("i4",) * len(columns))
        micros = table[1] + _PG_EPOCH_US
    else:
        table = fetch_arrays(rows, 3 + len(columns))
        micros = datetimes_to_microseconds(table[1])
    bp = np.column_stack(table[3:]).astype(float).reshape(len(micros), len(columns))
    return EntryArrays(
        ids=table[0].astype(np.int64),
        times=micros / 1e6,
        users=table[2].astype(np.int64),
        vectors=_vectors(question, bp),
        micros=micros,
    )


def _cdf_entry_arrays(question: Question, entries: QuerySet) -> EntryArrays:
    """Return the entries of a numeric or date question, read as text in one COPY.

    Each row is "id, created_at in microseconds, user, [F_0, …, F_200]": every
    number an integer, so after the separators become spaces numpy parses the
    whole answer at once. (Reading the 201 points as 201 columns decompresses
    the jsonb once for each point: about 15× slower.)
    """
    column = f'"{Entry._meta.db_table}"."created_at"'
    micros = RawSQL(f"(extract(epoch FROM {column}) * 1000000)::bigint", ())
    rows = (
        entries.annotate(cal_micros=micros)
        .order_by("sequence")
        .values_list("id", "cal_micros", "user_id", "probabilities_bp")
    )
    table = copy_integer_rows(rows, 3 + GRID_POINTS)
    return EntryArrays(
        ids=table[:, 0].copy(),
        times=table[:, 1] / 1e6,
        users=table[:, 2].copy(),
        vectors=table[:, 3:] / MILLION,
        micros=table[:, 1].copy(),
    )


def copy_integer_rows(rows: QuerySet, width: int) -> np.ndarray:
    """Return a values_list of integers and JSON lists of integers as (rows, width).

    PostgreSQL only: one text COPY; with brackets, commas, tabs and newlines
    turned into spaces, numpy parses the whole answer in one call.
    """
    sql, params = rows.query.sql_with_params()
    with (
        connections[rows.db].cursor() as cursor,
        cursor.cursor.copy(f"COPY ({sql}) TO STDOUT", params) as copy,
    ):
        data = b"".join(bytes(block) for block in copy)
    count = data.count(b"\n")
    numbers = np.fromstring(data.translate(_SEPARATORS), np.int64, sep=" ")
    if numbers.size != count * width:
        raise CopyShapeError(f"COPY rows do not hold {width} integers each.")
    return numbers.reshape(count, width)


_SEPARATORS = bytes.maketrans(b"[],\t\n", b"     ")


def option_columns(question: Question) -> dict:
    """Return annotations reading each stored option (binary: P(yes)) as an int."""
    if question.is_binary:
        return {"bp1": Cast("p_yes_bp", IntegerField())}
    return {
        f"bp{k}": Cast(KeyTextTransform(str(k), "probabilities_bp"), IntegerField())
        for k in range(vector_width(question))
    }


def vector_width(question: Question) -> int:
    """Return the length of a question's stored vectors: options, or 201 CDF points."""
    return GRID_POINTS if question.is_continuous else len(question.options)


def _vectors(question: Question, bp: np.ndarray) -> np.ndarray:
    if question.is_binary:
        return np.column_stack([BP - bp[:, 0], bp[:, 0]]) / BP
    return bp / (MILLION if question.is_continuous else BP)


def fetch_arrays(values: QuerySet, width: int) -> list[np.ndarray]:
    """Return the `width` columns of a values_list queryset through the ORM."""
    rows = list(values)
    if not rows:
        return [np.empty(0, dtype=np.int64) for _ in range(width)]
    return [np.asarray(column) for column in zip(*rows, strict=True)]


def to_microseconds(moment: datetime) -> int:
    """Return an aware datetime as exact integer microseconds since the epoch."""
    return (moment - _EPOCH) // _MICROSECOND


def datetimes_to_microseconds(moments) -> np.ndarray:
    """Return aware datetimes as exact int64 microseconds since the epoch."""
    return np.fromiter((to_microseconds(t) for t in moments), np.int64, len(moments))


def copy_arrays(values: QuerySet, types: tuple[str, ...]) -> list[np.ndarray]:
    """Return the columns of a values_list queryset, read with binary COPY.

    `types` are numpy codes of the SQL columns ("i8" bigint or timestamp, "i4"
    integer, "i2" smallint, "f8" double, "V40" a bytea of 40 bytes); every value
    must be non-null.
    """
    sql, params = values.query.sql_with_params()
    statement = f"COPY ({sql}) TO STDOUT (FORMAT BINARY)"
    data = bytearray()
    with (
        connections[values.db].cursor() as cursor,
        cursor.cursor.copy(statement, params) as copy,
    ):
        # One row a block: appending is about twice as fast as bytes.join.
        while block := copy.read():
            data += block
    return _parse_binary_copy(data, types)


def _parse_binary_copy(data: bytearray, types: tuple[str, ...]) -> list[np.ndarray]:
    fields = [("width", ">i2")]
    for i, code in enumerate(types):
        fields += [(f"size{i}", ">i4"), (f"v{i}", ">" + code)]
    row = np.dtype(fields)
    extension = int.from_bytes(data[15:19], "big")
    body = len(data) - _COPY_HEADER - extension - _COPY_TRAILER
    if body % row.itemsize:
        raise CopyShapeError("COPY rows are not of the fixed width expected.")
    table = np.frombuffer(
        data, row, count=body // row.itemsize, offset=_COPY_HEADER + extension
    )
    _check_shape(table, types)
    return [table[f"v{i}"].astype(types[i]) for i in range(len(types))]


def _check_shape(table: np.ndarray, types: tuple[str, ...]) -> None:
    if table.size and not (table["width"] == len(types)).all():
        raise CopyShapeError("COPY rows have another number of columns.")
    for i, code in enumerate(types):
        if table.size and not (table[f"size{i}"] == np.dtype(code).itemsize).all():
            raise CopyShapeError(f"COPY column {i} has nulls or another type.")


def community_arrays(question: Question, *, before: datetime):
    """Return the stored community series before `before` as (times, vectors).

    Times are exact int64 microseconds since the epoch, as scoring takes them.
    """
    rows = list(
        CommunityPoint.objects.filter(question=question, time__lt=before)
        .order_by("time")
        .values_list("time", "probabilities")
    )
    k = vector_width(question)
    if not rows:
        return np.empty(0, dtype=np.int64), np.empty((0, k))
    times, vectors = zip(*rows, strict=True)
    return datetimes_to_microseconds(times), np.asarray(vectors, dtype=float)
