"""Find resolution versions whose scores have not been written yet."""

from django.db.models import F

from forecasts.models import ResolutionEvent


def unscored_resolution_ids() -> list[int]:
    """Return the ids of latest resolution versions with no scores, oldest first.

    A superseded version is left out: its scores would never be shown.
    """
    return list(
        ResolutionEvent.objects.filter(
            version=F("question__head__resolutions"), scoring__isnull=True
        )
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
