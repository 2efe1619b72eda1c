"""The benchmarks in the order they run, each at a named size."""

import zlib

import numpy as np

from bench import calibration, community, reference, scoring_scale, writes
from bench.timing import Figure

BENCHMARKS = {
    module.NAME: module
    for module in (scoring_scale, writes, community, calibration, reference)
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
