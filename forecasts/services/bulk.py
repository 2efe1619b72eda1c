"""Write many rows in one pass: COPY on PostgreSQL, bulk_create elsewhere."""

from collections.abc import Sequence

from django.db import connection, models

BATCH = 5_000


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """Insert rows (tuples in the order of `columns`, attnames) into the table.

    No model instance is built per row on PostgreSQL; JSON columns are not
    supported (none of the bulk-written tables has one).
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy_in(model, columns, rows)
    else:
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH)


def _copy_in(model, columns, rows) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)
