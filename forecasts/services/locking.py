from django.db import connection

from forecasts.models import LedgerHead


def lock_head(question_id: int) -> LedgerHead:
    """Return the question's ledger head, locked until the transaction ends.

    Callers run inside transaction.atomic(); on PostgreSQL the row lock
    serialises writers of one question and no other. SQLite has no row locks
    (FOR UPDATE is dropped there): its atomic blocks begin IMMEDIATE (see
    config/settings/base.py), so the transaction already holds the database's
    one write lock when it reads the head. Every question gets its head when
    created, so one SELECT … FOR UPDATE is the usual cost.
    """
    locked = _select_for_update(question_id)
    if locked is None:
        LedgerHead.objects.get_or_create(question_id=question_id)
        locked = _select_for_update(question_id)
    return locked


def _select_for_update(question_id: int) -> LedgerHead | None:
    if connection.vendor != "postgresql":
        return LedgerHead.objects.select_for_update().filter(pk=question_id).first()
    # Written out: the ORM took longer to build this query than PostgreSQL to
    # run it, on the path where every writer of the question queues.
    fields = LedgerHead._meta.concrete_fields
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns} FROM {LedgerHead._meta.db_table} "
            "WHERE question_id = %s FOR UPDATE",
            [question_id],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return LedgerHead.from_db(connection.alias, [f.attname for f in fields], row)
