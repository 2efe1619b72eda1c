"""Proposals as their authors and staff see them, and who proposed a question."""

from django.db.models import QuerySet

from proposals.models import Proposal


def visible_proposals(user) -> QuerySet[Proposal]:
    """Return every proposal to staff, one's own to others, none to visitors."""
    proposals = Proposal.objects.select_related("author", "question")
    if not user.is_authenticated:
        return proposals.none()
    if user.is_staff:
        return proposals
    return proposals.filter(author=user)


def proposers(questions) -> dict[int, str]:
    """Return the username that proposed each of these questions, where one did."""
    rows = Proposal.objects.filter(question__in=[q.pk for q in questions]).values_list(
        "question_id", "author__username"
    )
    return dict(rows)
