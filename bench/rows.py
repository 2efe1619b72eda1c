"""Set-based inserts: COPY on PostgreSQL, one executemany elsewhere.

Rows are tuples in the order of `columns` (attnames); JSON columns hold JSON
text and times ISO strings, which both paths accept.
"""

import json
from collections.abc import Iterable
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max


def insert_rows(model: type[models.Model], columns: tuple, rows: Iterable) -> None:
    """Insert the rows into the model's table in one pass.

    Columns left out take their field's default, as bulk_create would give them.
    """
    columns, rows = _with_defaults(model, columns, rows)
    if connection.vendor == "postgresql":
        _copy_in(model, columns, rows)
    else:
        _execute_many(model, columns, rows)


def _with_defaults(model, columns: tuple, rows: Iterable) -> tuple[tuple, Iterable]:
    missing = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in columns and not f.primary_key
    ]
    if not missing:
        return columns, rows
    values = tuple(_as_text_input(f.get_default()) for f in missing)
    names = (*columns, *(f.attname for f in missing))
    return names, (tuple(row) + values for row in rows)


def _as_text_input(value):
    """Return a default in the form rows carry: JSON text, ISO times."""
    if isinstance(value, list | dict):
        return json.dumps(value)
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def _copy_in(model, columns, rows) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    statement = f"COPY {table} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


def _execute_many(model, columns, rows) -> None:
    # Model instances and bulk_create cost ten times the insert itself; only
    # the time columns need the backend's own form (UTC text on SQLite).
    fields = {f.attname: f for f in model._meta.concrete_fields}
    times = {
        i for i, c in enumerate(columns) if isinstance(fields[c], models.DateTimeField)
    }
    adapt = connection.ops.adapt_datetimefield_value
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    prepared = (
        [_time(v, adapt) if i in times else v for i, v in enumerate(row)]
        for row in rows
    )
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", prepared)


def _time(value, adapt):
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return adapt(value)


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
