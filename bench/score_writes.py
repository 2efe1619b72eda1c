"""Score rows written by scoring against a bare binary COPY of the same rows.

The rows are a resolution's real score columns (forecasts.services.score_columns'
score_columns, computed once outside the timing); each timed write is one
transaction, commit included: `insert_columns` into the Score table (its
encoding, indexes and WAL) against COPY of the same pre-encoded binary data
into a table of the same columns with no index and no constraint, and
into one with the Score table's indexes (what the database itself charges
for them: each of the four adds about as much as the bare COPY's half), and
(a note) into one with only the two indexes any design of the table needs.
"""

from django.db import connection, transaction

from bench import data
from bench.timing import Figure, best_of
from forecasts.models import LedgerHead, Score
from forecasts.services.bulk import binary_copy_blocks, insert_columns
from forecasts.services.score_columns import score_columns

NAME = "scoring"
BARE_TABLE = "bench_bare_scores"
INDEXED_TABLE = "bench_indexed_scores"
ESSENTIAL_TABLE = "bench_essential_scores"


def write_figures(question, end, staff, repeat: int) -> list[Figure]:
    """Return the write of one resolution's score rows and its bare reference."""
    if connection.vendor != "postgresql":
        return []
    event = data.resolve(question, outcome=1, effective_at=end, by=staff)
    head = LedgerHead.objects.get(pk=question.pk)
    columns = score_columns(question, head, event, end)
    rows = len(columns["user_id"])
    table = connection.ops.quote_name(Score._meta.db_table)
    with connection.cursor() as cursor:
        for name in (BARE_TABLE, INDEXED_TABLE, ESSENTIAL_TABLE):
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
        cursor.execute(f"CREATE TABLE {BARE_TABLE} AS TABLE {table} WITH NO DATA")
        # The same columns, defaults, identity and indexes.
        cursor.execute(
            f"CREATE TABLE {INDEXED_TABLE} "
            f"(LIKE {table} INCLUDING DEFAULTS INCLUDING IDENTITY INCLUDING INDEXES)"
        )
        # The least any design could keep: a key on (resolution, user), which
        # a composite primary key would be, and the (user, current, close
        # time) index that profiles and calibration read; no id, no question.
        cursor.execute(f"CREATE TABLE {ESSENTIAL_TABLE} AS TABLE {BARE_TABLE}")
        cursor.execute(
            f"ALTER TABLE {ESSENTIAL_TABLE} ADD PRIMARY KEY (resolution_id, user_id)"
        )
        cursor.execute(
            f"CREATE INDEX ON {ESSENTIAL_TABLE} (user_id, current, close_time)"
        )
    names = ", ".join(connection.ops.quote_name(name) for name in columns)
    blocks = binary_copy_blocks(Score, columns, rows)

    def copy_into(target: str) -> None:
        statement = f"COPY {target} ({names}) FROM STDIN (FORMAT BINARY)"
        with (
            transaction.atomic(),
            connection.cursor() as cursor,
            cursor.cursor.copy(statement) as copy,
        ):
            for block in blocks:
                copy.write(block)

    def bare() -> None:
        copy_into(BARE_TABLE)

    def emptied_then_copied(target: str):
        def copy() -> None:
            # Emptied before each copy: the (resolution, user) key is unique.
            with connection.cursor() as cursor:
                cursor.execute(f"TRUNCATE {target}")
            copy_into(target)

        return copy

    # A fresh resolution version for each write: (resolution, user) is unique.
    versions = iter(
        [
            data.resolve(question, outcome=1, effective_at=end, by=staff).pk
            for _ in range(repeat + 1)
        ]
    )

    def written() -> None:
        with transaction.atomic():
            insert_columns(Score, {**columns, "resolution_id": next(versions)}, rows)

    reference = best_of(bare, repeat + 1)
    with_indexes = best_of(emptied_then_copied(INDEXED_TABLE), repeat + 1)
    essential = best_of(emptied_then_copied(ESSENTIAL_TABLE), repeat + 1)
    encode = best_of(lambda: binary_copy_blocks(Score, columns, rows), repeat + 1)
    value = best_of(written, repeat + 1)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {BARE_TABLE}")
        cursor.execute(f"DROP TABLE {INDEXED_TABLE}")
        cursor.execute(f"DROP TABLE {ESSENTIAL_TABLE}")
    what = f"write {rows:,} score rows (insert_columns, commit included)"
    return [
        Figure(
            NAME,
            what,
            value,
            "s",
            "a bare binary COPY of the same rows into an unindexed table",
            reference,
            target=2.0,
            notes={
                "encoding the rows (binary_copy_blocks), s": encode,
                "the same COPY into a table with only the two indexes reads "
                "need, (resolution, user) as primary key and (user, current, "
                "close time), x the bare COPY": essential / reference,
            },
        ),
        Figure(
            NAME,
            f"{what}, vs the same indexes",
            value,
            "s",
            "the same pre-encoded COPY into a table with the Score table's indexes",
            with_indexes,
            target=1.5,
        ),
    ]
