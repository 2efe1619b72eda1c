"""Compare what clients were told with what the database holds afterwards."""

from collections import Counter

from forecasts.models import Entry, Question, ResolutionEvent
from forecasts.verification import verify_ledger
from tests.reliability.recompute import agree, recomputed_scores, stored_scores


def assert_ledger_holds(acks, slugs: list[str]) -> None:
    """Assert every acknowledged forecast is in the ledger as sent, and no other.

    Each question's sequence numbers must run 1, 2, 3, … without a gap, and
    every chain must verify.
    """
    assert Counter(ack.status for ack in acks) == {201: len(acks)}
    for slug in slugs:
        mine = [ack for ack in acks if ack.slug == slug]
        sent = {ack.sequence: (ack.username, ack.p_yes_bp, ack.hash) for ack in mine}
        stored = {
            row[0]: row[1:]
            for row in Entry.objects.filter(question__slug=slug).values_list(
                "sequence", "user__username", "p_yes_bp", "hash"
            )
        }
        assert stored == sent, slug
        assert sorted(stored) == list(range(1, len(sent) + 1)), slug
    assert verify_ledger() == []


def assert_scores_recompute(step: float) -> int:
    """Assert the latest scores of every resolved question equal a recomputation.

    Return how many questions were compared.
    """
    compared = 0
    for question in Question.objects.filter(head__resolutions__gt=0):
        event = ResolutionEvent.objects.filter(question=question).latest("version")
        stored, recomputed = stored_scores(event), recomputed_scores(event, step)
        assert agree(stored, recomputed), (question.slug, stored, recomputed)
        compared += 1
    return compared
