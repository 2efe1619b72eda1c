"""Reads for the question pages that the shared selectors do not cover."""

from django.db.models import Exists, OuterRef

from forecasts.models import Clarification, CommunityPoint, Entry, Question, Tag
from forecasts.selectors.community import Community
from tournaments.visibility import publicly_counted


def listed_tags() -> list[str]:
    """Return the slugs of tags on at least one published, public question."""
    listed = Question.objects.filter(
        publicly_counted(), tags=OuterRef("pk"), published_at__isnull=False
    )
    return list(
        Tag.objects.filter(Exists(listed))
        .order_by("slug")
        .values_list("slug", flat=True)
    )


def clarifications(question: Question) -> list[Clarification]:
    """Return the question's dated clarifications, oldest first."""
    return list(question.clarifications.order_by("created_at", "id"))


def community_series(
    question: Question, points: list[CommunityPoint], live: Community | None
) -> list[CommunityPoint]:
    """Return the stored series, ending with the live community if it is newer.

    The stored series grows on a schedule; the live value takes effect at the
    last entry, so a new forecast shows in the history at once. The extra
    point is not saved.
    """
    head = getattr(question, "head", None)
    if live is None or head is None or head.last_entry_at is None:
        return points
    if points and points[-1].time >= head.last_entry_at:
        return points
    if head.last_entry_at >= question.close_time:
        return points
    return [
        *points,
        CommunityPoint(
            question=question,
            time=head.last_entry_at,
            probabilities=live.probabilities,
            forecasters=live.forecasters,
        ),
    ]


def forecasters_before(question: Question, moment) -> int:
    """Return how many users have an entry on the question made before moment."""
    return (
        Entry.objects.filter(question=question, created_at__lt=moment)
        .values("user_id")
        .distinct()
        .count()
    )
