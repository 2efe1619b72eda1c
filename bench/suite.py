"""The benchmarks in the order they run, each at a named size."""

import zlib

import numpy as np

from bench import (
    calibration,
    community,
    continuous,
    exports,
    pages,
    reference,
    scoring_scale,
    sqlite_throughput,
    throughput,
    writes,
)
from bench.timing import Figure

# Throughput and pages first: they verify or list what the database holds,
# before the big generated ledgers are there.
BENCHMARKS = {
    module.NAME: module
    for module in (
        throughput,
        sqlite_throughput,
        pages,
        scoring_scale,
        writes,
        community,
        exports,
        calibration,
        reference,
        continuous,
    )
}


def run_all(size: str, seed: int, names: list[str] | None = None) -> list[Figure]:
    """Run the named benchmarks (all by default) at `size`; return every figure."""
    figures = []
    for name in names or list(BENCHMARKS):
        module = BENCHMARKS[name]
        rng = np.random.default_rng([seed, zlib.crc32(name.encode())])
        print(f"== {name} ({size})", flush=True)
        figures += module.run(module.SIZES[size], rng)
    return figures
