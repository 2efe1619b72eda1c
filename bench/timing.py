"""Timers, peak memory and the figures every benchmark reports."""

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Figure:
    """One measured figure, as a ratio to a reference measured in the same run.

    target is the largest (or, with at_least, smallest) acceptable ratio or
    value; None when the figure is reported without a target.
    """

    benchmark: str
    name: str
    value: float
    unit: str
    reference: str = ""
    reference_value: float | None = None
    target: float | None = None
    at_least: bool = False
    on: str = "ratio"
    notes: dict = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if not self.reference_value:
            return None
        return self.value / self.reference_value

    @property
    def met(self) -> bool | None:
        """Return whether the target is met, or None without a target."""
        measured = self.ratio if self.on == "ratio" else self.value
        if self.target is None or measured is None:
            return None
        return measured >= self.target if self.at_least else measured <= self.target


def seconds(call: Callable[[], object]) -> tuple[float, object]:
    """Return the wall time of one call and its result, after a collection."""
    gc.collect()
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def best_of(call: Callable[[], object], repeat: int) -> float:
    """Return the fastest of `repeat` calls: the least disturbed by other load."""
    return min(seconds(call)[0] for _ in range(repeat))


def median_of(call: Callable[[], object], repeat: int) -> float:
    """Return the median wall time of `repeat` calls."""
    return statistics.median(seconds(call)[0] for _ in range(repeat))


def peak_bytes(call: Callable[[], object]) -> tuple[int, object]:
    """Return the peak of memory allocated during the call (tracemalloc) and its result.

    numpy reports its buffers to tracemalloc, so arrays are counted too.
    """
    gc.collect()
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, result
