"""The forecasters' running sums on a question, read for scoring a resolution."""

from datetime import datetime

import numpy as np
from django.db import connections

from forecasts.models import Entry, LedgerHead, Question, Standing
from forecasts.scoring.running import LedgerSums, ledger_sums_of, stored_width
from forecasts.selectors.arrays import CopyShapeError, copy_arrays


def ledger_sums(
    question: Question, head: LedgerHead, *, before: datetime
) -> tuple[LedgerSums, np.ndarray] | None:
    """Return every forecaster's sums and final entry id, by user; None if unknown.

    They score a resolution at `before` only when they cover the whole ledger
    and the ledger holds nothing from `before` on. Each forecast adds exactly
    one to its forecaster's count, so the stored counts add up to the head's
    only if no forecaster's sums are missing (null) or behind.
    """
    if question.is_continuous or not head.entries:
        return None
    if head.last_entry_at is None or head.last_entry_at >= before:
        return None
    width = stored_width(len(question.options))
    rows = (
        Standing.objects.filter(question=question, sums__isnull=False)
        .order_by("user_id")
        .values_list("user_id", "entry_id", "sums")
    )
    if connections[rows.db].vendor == "postgresql":
        try:
            users, entry_ids, stored = copy_arrays(rows, ("i8", "i8", f"V{width}"))
        except CopyShapeError:
            return None
    else:
        users, entry_ids, stored = _fetched(rows, width)
    table = np.frombuffer(stored.tobytes(), "<f8").reshape(len(users), width // 8)
    sums = ledger_sums_of(users, table)
    if int(sums.entries.sum()) != head.entries:
        return None
    return sums, entry_ids.astype(np.int64)


def _fetched(rows, width: int):
    fetched = list(rows)
    if any(len(stored) != width for _, _, stored in fetched):
        return np.empty(0), np.empty(0), np.empty(0, f"V{width}")
    users, entry_ids, stored = zip(*fetched, strict=True) if fetched else ((),) * 3
    joined = np.frombuffer(b"".join(bytes(s) for s in stored), f"V{width}")
    return np.asarray(users), np.asarray(entry_ids), joined


def first_sequence_from(question: Question, moment: datetime) -> int | None:
    """Return the sequence of the ledger's first entry at or after `moment`.

    Read in ledger order and stopped at the first match: its cost grows with
    the entries before `moment`, not with the ledger.
    """
    return (
        Entry.objects.filter(question=question, created_at__gte=moment)
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )
