"""Set-based inserts: COPY on PostgreSQL, bulk_create elsewhere.

Rows are tuples in the order of `columns` (attnames); JSON columns hold JSON
text and times ISO strings, which both paths accept.
"""

import json
from collections.abc import Iterable

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

BATCH = 5_000


def insert_rows(model: type[models.Model], columns: tuple, rows: Iterable) -> None:
    """Insert the rows into the model's table in one pass."""
    if connection.vendor == "postgresql":
        _copy_in(model, columns, rows)
    else:
        _bulk_create(model, columns, rows)


def _copy_in(model, columns, rows) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    statement = f"COPY {table} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _bulk_create(model, columns, rows) -> None:
    json_columns = {
        f.attname
        for f in model._meta.concrete_fields
        if isinstance(f, models.JSONField)
    }
    objects = []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        for name in json_columns & values.keys():
            values[name] = json.loads(values[name])
        objects.append(model(**values))
    model.objects.bulk_create(objects, batch_size=BATCH)


def next_id(model: type[models.Model]) -> int:
    """Return the first id after the model's largest; reset_ids afterwards."""
    return (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def reset_ids(*tables: type[models.Model]) -> None:
    """Move the id sequences past ids that were given explicitly."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(tables))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def analyze(*tables: type[models.Model]) -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum would."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
