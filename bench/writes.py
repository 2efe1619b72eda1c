"""3a. Flat write cost: submitting one forecast costs the same however many
forecasters a question has.

Reference: the same submission on a question with few active forecasters,
interleaved with the measured one so that drifting load hits both alike.
"""

import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from accounts.models import User
from bench import data
from bench.timing import Figure
from forecasts.services import submit_forecast

NAME = "writes"


@dataclass(frozen=True)
class Size:
    few: int
    many: int
    submissions: int


SIZES = {"full": Size(100, 100_000, 300), "tiny": Size(3, 30, 4)}


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return the median cost of a submission with many against few forecasters."""
    few = open_question(rng, size.few, "few")
    many = open_question(rng, size.many, "many")
    timings = {few[0].pk: [], many[0].pk: []}
    for _ in range(size.submissions):
        for question, forecasters in (few, many):
            timings[question.pk].append(_submit(rng, question, forecasters))
    small, large = (np.asarray(timings[q.pk]) * 1000 for q, _ in (few, many))
    return [
        Figure(
            NAME,
            f"submit one forecast, {size.many:,} active forecasters (median)",
            statistics.median(large),
            "ms",
            f"the same with {size.few:,} active forecasters",
            statistics.median(small),
            target=2.0,
            notes={
                "p99 ms with many": float(np.percentile(large, 99)),
                "p99 ms with few": float(np.percentile(small, 99)),
            },
        )
    ]


def open_question(rng, forecasters: int, label: str):
    """Create an open question whose forecasters each stand on one entry."""
    now = datetime.now(UTC)
    question = data.make_question(
        f"bench-{label}-{rng.integers(1 << 30)}",
        open_time=now - timedelta(days=30),
        close_time=now + timedelta(days=30),
    )
    ids = data.make_forecasters(forecasters, prefix=f"w{question.pk}-")
    data.random_ledger(rng, question, ids, 1, until=now - timedelta(minutes=5))
    return question, ids


def _submit(rng, question, forecasters) -> float:
    user = User.objects.get(pk=int(rng.choice(forecasters)))
    probability = int(data.off_edges(rng.integers(10, 9991, 1))[0]) / 10_000
    start = time.perf_counter()
    submit_forecast(question=question, user=user, probability=probability)
    return time.perf_counter() - start
