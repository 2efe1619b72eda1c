from forecasts.models import LedgerHead


def lock_head(question_id: int) -> LedgerHead:
    """Return the question's ledger head, locked until the transaction ends.

    Callers run inside transaction.atomic(); on PostgreSQL the row lock
    serialises writers of one question and no other. Every question gets its
    head when created, so one SELECT … FOR UPDATE is the usual cost.
    """
    head = LedgerHead.objects.select_for_update().filter(question_id=question_id)
    locked = head.first()
    if locked is None:
        LedgerHead.objects.get_or_create(question_id=question_id)
        locked = head.get()
    return locked
