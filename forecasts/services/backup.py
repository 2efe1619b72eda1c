"""Back up the whole database to one JSON Lines file; restore it into an empty one.

The file: a header line {"format", "version", "exported_at", "migrations"};
then per table a line {"table": "forecasts.entry", "columns": [...]} followed
by one JSON array per row; and a last line {"end": {table: rows}}, so a file
cut short is refused. Ids are kept as they are: user ids are in every hash.
Password hashes are included, so people can log in after a restore, which
makes the file as secret as the database; API tokens are not.
"""

import base64
import binascii
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TextIO

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from forecasts.selectors import backup as tables
from forecasts.verification import verify_ledger

FORMAT = "forecast-ledger-backup"
VERSION = 1
BATCH = 2000


class BackupError(Exception):
    """A backup that cannot be restored here, or a database that is not empty."""


def export_backup(*, stream: TextIO) -> dict[str, int]:
    """Write every backed-up table to the stream; return the rows per table.

    One transaction reads them all, on PostgreSQL at REPEATABLE READ, so the
    file is one consistent moment even while forecasts keep arriving.
    """
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                )
        _write(stream, _header())
        counts = {
            model._meta.label_lower: _export_table(stream, model)
            for model in tables.backup_models()
        }
        _write(stream, {"end": counts})
    return counts


def _header() -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "migrations": tables.latest_migrations(),
    }


def _export_table(stream: TextIO, model: type[models.Model]) -> int:
    columns = tables.table_columns(model)
    _write(stream, {"table": model._meta.label_lower, "columns": columns})
    count = 0
    for row in tables.table_rows(model, columns):
        _write(stream, row)
        count += 1
    return count


def _write(stream: TextIO, record) -> None:
    stream.write(json.dumps(record, ensure_ascii=False, default=_encode) + "\n")


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(value).decode()
    raise TypeError(f"Cannot back up a {type(value).__name__}: {value!r}")


@dataclass
class Restored:
    counts: dict[str, int]
    problems: list[str] = field(default_factory=list)


def import_backup(*, stream: TextIO, accept_broken: bool = False) -> Restored:
    """Load a backup into this empty database in one transaction.

    Refuse a database with any row, another format or version, a schema
    older than the backup's, unknown tables or columns, a file cut short, and,
    unless accept_broken, a ledger that verify_ledger finds broken.
    """
    records = _records(stream)
    _check_header(next(records, None))
    with transaction.atomic():
        if filled := tables.non_empty_tables():
            raise BackupError(
                f"The database is not empty ({', '.join(filled)}): "
                "restore into a freshly migrated one."
            )
        counts = _load(records)
        _reset_sequences()
        problems = verify_ledger()
        if problems and not accept_broken:
            raise BackupError(f"The restored ledger does not verify: {problems[0]}")
    return Restored(counts, problems)


def _records(stream: TextIO) -> Iterator:
    for number, line in enumerate(stream, start=1):
        try:
            yield json.loads(line)
        except ValueError as error:
            raise BackupError(f"Line {number} is not JSON: {error}") from None


def _check_header(header) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("This is not a Forecast Ledger backup.")
    if header.get("version") != VERSION:
        raise BackupError(
            f"Backup format version {header.get('version')!r}; "
            f"this version reads {VERSION}."
        )
    missing = set(header.get("migrations", {}).items()) - tables.applied_migrations()
    if missing:
        names = ", ".join(f"{app}.{name}" for app, name in sorted(missing))
        raise BackupError(f"Migrate this database first: it lacks {names}.")


def _load(records: Iterable) -> dict[str, int]:
    models_by_label = {m._meta.label_lower: m for m in tables.backup_models()}
    counts, table = {}, None
    for record in records:
        if isinstance(record, list) and table is not None:
            table.add(record)
        elif isinstance(record, dict) and "table" in record:
            if table is not None:
                counts[table.label] = table.finish()
            table = _Table.start(models_by_label, record)
        elif isinstance(record, dict) and "end" in record:
            if table is not None:
                counts[table.label] = table.finish()
            _check_counts(record["end"], counts)
            return counts
        else:
            raise BackupError(f"Unexpected line in the backup: {str(record)[:80]}")
    raise BackupError("The backup ends before its last line: it was cut short.")


def _check_counts(expected: dict, counts: dict) -> None:
    if expected != counts:
        raise BackupError(
            f"The backup promises {expected} rows but holds {counts}: it is damaged."
        )


class _Table:
    """Rows of one table, inserted BATCH at a time."""

    def __init__(self, model, columns: list[str]):
        self.model, self.columns = model, columns
        self.label = model._meta.label_lower
        self.times = [
            i
            for i, name in enumerate(columns)
            if isinstance(model._meta.get_field(name), models.DateTimeField)
        ]
        self.binary = [
            i
            for i, name in enumerate(columns)
            if isinstance(model._meta.get_field(name), models.BinaryField)
        ]
        self.pending, self.count = [], 0

    @classmethod
    def start(cls, models_by_label: dict, record: dict) -> "_Table":
        model = models_by_label.get(record["table"])
        if model is None:
            raise BackupError(f"Unknown table {record['table']!r} in the backup.")
        unknown = set(record["columns"]) - set(tables.table_columns(model))
        if unknown:
            raise BackupError(f"{record['table']} has no columns {sorted(unknown)}.")
        return cls(model, record["columns"])

    def add(self, row: list) -> None:
        if len(row) != len(self.columns):
            raise BackupError(f"A row of {self.label} has {len(row)} values.")
        for i in self.times:
            if row[i] is not None:
                row[i] = datetime.fromisoformat(row[i])
        for i in self.binary:
            if row[i] is not None:
                row[i] = self._bytes(row[i], self.columns[i])
        self.pending.append(self.model(**dict(zip(self.columns, row, strict=True))))
        if len(self.pending) >= BATCH:
            self._flush()

    def _bytes(self, text, column: str) -> bytes:
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, TypeError):
            raise BackupError(f"A {self.label} {column} is not base64.") from None

    def finish(self) -> int:
        self._flush()
        return self.count

    def _flush(self) -> None:
        self.model._base_manager.bulk_create(self.pending)
        self.count += len(self.pending)
        self.pending = []


def _reset_sequences() -> None:
    """Move id sequences past the restored ids (PostgreSQL; SQLite needs none)."""
    statements = connection.ops.sequence_reset_sql(no_style(), tables.backup_models())
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
