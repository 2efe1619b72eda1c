"""3b. The live community forecast over many standing forecasts.

Computing it (the weighted median) is measured apart from reading the standing
forecasts, and both against numpy sorting the same P(yes) values once.
"""

from dataclasses import dataclass

import numpy as np
from django.test import override_settings

from bench.timing import Figure, best_of
from bench.writes import open_question
from forecasts import scoring
from forecasts.ledger import BP
from forecasts.models import Question
from forecasts.selectors.community import community_now, standing_table

NAME = "community"
NO_CACHE = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}


@dataclass(frozen=True)
class Size:
    forecasters: int
    repeat: int


SIZES = {"full": Size(100_000, 7), "tiny": Size(30, 1)}


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return the compute, read, uncached and cached times of community_now."""
    question, _ = open_question(rng, size.forecasters, "community")
    question = Question.objects.select_related("head").get(pk=question.pk)
    _, bp = standing_table([question])
    vectors = bp / BP
    sort = best_of(lambda: np.sort(vectors[:, 1]), size.repeat)
    sort_ref = f"numpy sorting the {size.forecasters:,} P(yes) values"

    def uncached():
        with override_settings(CACHES=NO_CACHE):
            return community_now([question])

    compute = best_of(lambda: scoring.community_forecast(vectors, True), size.repeat)
    read = best_of(lambda: standing_table([question]), size.repeat)
    fresh = best_of(uncached, size.repeat)
    community_now([question])
    cached = best_of(lambda: community_now([question]), size.repeat)
    what = f"{size.forecasters:,} standing forecasts"
    return [
        _ms(
            f"compute the community forecast over {what}",
            compute,
            sort_ref,
            sort,
            target=50.0,
        ),
        _ms(f"read the {what} (one query)", read, sort_ref, sort),
        _ms("community_now uncached (read + compute)", fresh, sort_ref, sort),
        _ms("community_now from the cache", cached, sort_ref, sort),
    ]


def _ms(name, seconds, reference, reference_seconds, target=None) -> Figure:
    return Figure(
        NAME,
        name,
        seconds * 1000,
        "ms",
        reference,
        reference_seconds * 1000,
        target=target,
        on="value",
    )
