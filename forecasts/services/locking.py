from forecasts.models import LedgerHead


def lock_head(question_id: int) -> LedgerHead:
    """Return the question's ledger head, locked until the transaction ends.

    Callers run inside transaction.atomic(); on PostgreSQL the row lock
    serialises writers of one question and no other.
    """
    LedgerHead.objects.get_or_create(question_id=question_id)
    return LedgerHead.objects.select_for_update().get(question_id=question_id)
