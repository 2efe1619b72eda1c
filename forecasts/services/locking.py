from typing import NamedTuple

from django.db import connection

from forecasts.models import LedgerHead, Standing
from forecasts.scoring.running import RunningSums, unpack
from forecasts.selectors.rows import instance_from_row


def lock_head(question_id: int) -> LedgerHead:
    """Return the question's ledger head, locked until the transaction ends.

    Callers run inside transaction.atomic(); on PostgreSQL the row lock
    serialises writers of one question and no other. SQLite has no row locks
    (FOR UPDATE is dropped there): its atomic blocks begin IMMEDIATE (see
    config/settings/base.py), so the transaction already holds the database's
    one write lock when it reads the head. Every question gets its head when
    created, so one SELECT … FOR UPDATE is the usual cost.
    """
    return instance_from_row(LedgerHead, _locked_row(question_id))


def _locked_row(question_id: int, user_id: int | None = None) -> tuple:
    """Return the head's row (and the user's sums), creating a missing head."""
    row = _select(question_id, user_id)
    if row is None:
        LedgerHead.objects.get_or_create(question_id=question_id)
        row = _select(question_id, user_id)
    return row


# The forecaster's running sums come with the lock, in the same round trip.
# A statement that waited for the lock reads the head as the previous writer
# left it (PostgreSQL rereads the locked row), but the standing row as it was
# before the wait: submit_forecast's upsert therefore keeps the sums only if
# the standing row is still the one read here (Prior.sequence).


class Prior(NamedTuple):
    """What a new entry's running sums follow: the forecaster's, the ledger's."""

    sums: RunningSums | None  # None before the forecaster's first entry
    sequence: int | None  # the standing row the sums were read from
    before: list | None  # the ledger's newest vector; None when it is empty


def lock_head_with_sums(
    question_id: int, user_id: int
) -> tuple[LedgerHead, Prior | None]:
    """Return the locked head and what the user's next running sums follow.

    The Prior is None where it is not known: an entry came in without sums.
    """
    row = _locked_row(question_id, user_id)
    head = instance_from_row(LedgerHead, row)
    stored, sequence = row[len(LedgerHead._meta.concrete_fields) :]
    before = head.last_vector
    if (head.entries and before is None) or (sequence is not None and not stored):
        return head, None
    sums = None if sequence is None else unpack(stored)
    return head, Prior(sums, sequence, before)


def _select(question_id: int, user_id: int | None) -> tuple | None:
    # Written out: the ORM took longer to build this query than PostgreSQL to
    # run it, on the path where every writer of the question queues.
    quote = connection.ops.quote_name
    head = ", ".join(f"h.{quote(f.column)}" for f in LedgerHead._meta.concrete_fields)
    lock = " FOR UPDATE OF h" if connection.vendor == "postgresql" else ""
    sql = f"SELECT {head} FROM {LedgerHead._meta.db_table} h "
    params = [question_id]
    if user_id is not None:
        sql = (
            f"SELECT {head}, s.sums, s.sequence "
            f"FROM {LedgerHead._meta.db_table} h "
            f"LEFT JOIN {Standing._meta.db_table} s "
            "ON s.question_id = h.question_id AND s.user_id = %s "
        )
        params = [user_id, question_id]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql}WHERE h.question_id = %s{lock}", params)
        return cursor.fetchone()
