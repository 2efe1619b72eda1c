"""Recompute a forecaster's running sums (Standing.sums) from the ledger."""

from datetime import timedelta

import numpy as np
from django.db import transaction

from forecasts.ledger import BP
from forecasts.models import Entry, Question, Standing
from forecasts.scoring.running import differing_sums, fold, fold_ledger, pack
from forecasts.selectors.arrays import entry_arrays, to_microseconds
from forecasts.services.locking import lock_head


def refold_standing(question_id: int, user_id: int) -> None:
    """Store the sums of the forecaster's entries, folded in ledger order.

    Call it holding the question's lock (no entry can come in meanwhile). Two
    reads whatever the number of entries: theirs, and the entry before each.
    """
    mine = list(
        Entry.objects.filter(question_id=question_id, user_id=user_id)
        .order_by("sequence")
        .values_list("sequence", "created_at", "probabilities_bp")
    )
    before = dict(
        Entry.objects.filter(
            question_id=question_id, sequence__in=[seq - 1 for seq, _, _ in mine]
        ).values_list("sequence", "probabilities_bp")
    )
    sums = None
    for sequence, created_at, vector in mine:
        at = to_microseconds(created_at)
        sums = fold(sums, vector, at, before.get(sequence - 1))
    Standing.objects.filter(question_id=question_id, user_id=user_id).update(
        sums=None if sums is None else pack(sums)
    )


def refold_question(question: Question) -> bool:
    """Store the sums the ledger folds to wherever they differ; return if any did.

    For questions whose sums are missing (entries from before the sums
    existed, or written another way) or wrong, and the head's last vector;
    numeric and date questions keep none. Under the question's lock.
    """
    if question.is_continuous:
        return False
    with transaction.atomic():
        head = lock_head(question.pk)
        if not head.entries:
            return False
        after = head.last_entry_at + timedelta(microseconds=1)
        entries = entry_arrays(question, before=after)
        bp = np.rint(entries.vectors * BP).astype(np.int64)
        folded = fold_ledger(entries.micros, entries.users, bp)
        rows = Standing.objects.filter(question=question).order_by("user_id")
        stored = list(rows.values_list("pk", "user_id", "sums"))
        if [user_id for _, user_id, _ in stored] != folded.users.tolist():
            return False  # verify_ledger names the broken standing table
        # Every bit: what a forecast would have stored, so later folds agree.
        sums = differing_sums(folded, [row[1:] for row in stored], rtol=0.0)
        changed = [
            Standing(pk=pk, sums=sums[user_id])
            for pk, user_id, _ in stored
            if user_id in sums
        ]
        Standing.objects.bulk_update(changed, ["sums"], batch_size=1000)
        last = bp[-1].tolist()
        if head.last_vector != last:
            head.last_vector = last
            head.save(update_fields=["last_vector"])
            return True
    return bool(changed)
