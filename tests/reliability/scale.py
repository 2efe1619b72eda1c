"""The sizes of the reliability runs: tiny in make test, full in make reliability."""

import os
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Scale:
    """How big a reliability run is."""

    name: str
    clients: int  # concurrent forecasters
    forecasts: int  # per forecaster
    questions: int  # the forecasters spread their forecasts over
    staff: int  # concurrent resolvers
    resolutions: int  # resolve or re-resolve attempts per resolver, ≥ questions
    fuzz_examples: int  # per API operation, as Hypothesis's max_examples
    fuzz_cases: int  # the fewest randomly generated requests the fuzz must send


SCALES = {
    "tiny": Scale("tiny", 4, 10, 4, 2, 4, 1, 0),
    "full": Scale("full", 16, 500, 4, 2, 12, 50, 1000),
}


def current_scale() -> Scale:
    """Return the size named by RELIABILITY_SCALE: tiny unless set to full."""
    name = os.environ.get("RELIABILITY_SCALE", "tiny")
    if name not in SCALES:
        raise pytest.UsageError(f"RELIABILITY_SCALE must be one of {list(SCALES)}")
    return SCALES[name]
