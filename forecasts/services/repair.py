"""Repair derived data that an older version stored wrongly, then rescore.

Community points are derived from the ledger, and scores from the points, so
both may be recomputed; so are the running sums scoring reads. Entries and
resolution events are never touched.
"""

from django.conf import settings
from django.db import transaction

from forecasts import scoring
from forecasts.models import CommunityPoint, Entry, Question, ResolutionEvent, Score
from forecasts.services.community import store_community_points
from forecasts.services.locking import lock_head
from forecasts.services.resolution import score_resolution
from forecasts.services.running import refold_question
from forecasts.verification import community_problems


def repair_derived() -> list[str]:
    """Repair every question whose community series is wrong; return their slugs."""
    return [
        question.slug
        for question in Question.objects.order_by("pk")
        if repair_community(question)
    ]


def repair_sums() -> list[str]:
    """Store the running sums of every question whose sums are missing or wrong.

    Return their slugs. Scores already stored stay: sums only make scoring
    faster, and agree with scoring every entry to 1e-12.
    """
    return [
        question.slug
        for question in Question.objects.order_by("pk")
        if refold_question(question)
    ]


def repair_community(question: Question) -> bool:
    """Recompute a wrong community series and rescore the latest version.

    Return whether anything was wrong. Under the question's lock, so no
    snapshot or scoring of it runs meanwhile.
    """
    with transaction.atomic():
        head = lock_head(question.pk)
        if not community_problems(question):
            return False
        _restore_points(question)
        _rescore_latest(question, head.resolutions)
    return True


def _restore_points(question: Question) -> None:
    """Replace the stored points by the series recomputed up to the last one."""
    points = CommunityPoint.objects.filter(question=question)
    last = points.order_by("-time").values_list("time", flat=True).first()
    first = (
        Entry.objects.filter(question=question, sequence=1)
        .values_list("created_at", flat=True)
        .first()
    )
    points.delete()
    if first is None or last is None:
        return
    # The boundaries the stored series should have had, its last included.
    boundaries = scoring.community_boundaries(
        first.timestamp(), last.timestamp() + 1, settings.COMMUNITY_STEP_SECONDS
    )
    if len(boundaries):
        store_community_points(question, boundaries)


def _rescore_latest(question: Question, version: int) -> None:
    """Score the latest resolution version again, if it was scored already.

    A version not yet scored will be scored from the repaired points anyway;
    older versions' scores are no longer shown.
    """
    latest = ResolutionEvent.objects.filter(
        question=question, version=version, scoring__isnull=False
    ).first()
    if latest is None:
        return
    Score.objects.filter(resolution=latest).delete()
    latest.scoring.delete()
    score_resolution(resolution_id=latest.pk)
