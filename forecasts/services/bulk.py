"""Write many rows in one pass: COPY on PostgreSQL, bulk_create elsewhere."""

import json
from collections.abc import Sequence

from django.db import connection, models

BATCH = 5_000


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple]
) -> None:
    """Insert rows (tuples in the order of `columns`, attnames) into the table.

    No model instance is built per row on PostgreSQL; JSON columns hold plain
    Python values (lists, dicts), sent as JSON text in the COPY.
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
    json_columns = [i for i, c in enumerate(columns) if _is_json(model, c)]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
    ):
        for row in rows:
            if json_columns:
                row = list(row)
                for i in json_columns:
                    row[i] = None if row[i] is None else json.dumps(row[i])
            copy.write_row(row)


def _is_json(model, attname: str) -> bool:
    field = next(f for f in model._meta.concrete_fields if f.attname == attname)
    return isinstance(field, models.JSONField)
