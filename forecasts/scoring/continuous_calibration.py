"""Calibration of numeric and date forecasts: PIT values and interval coverage."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from forecasts.scoring.continuous import GRID_CELLS

PIT_BINS = 10
# Inner edges 0.1 .. 0.9: side="right" puts an edge value in the bin it opens.
_INNER_EDGES = np.arange(1, PIT_BINS) / PIT_BINS


@dataclass(frozen=True)
class PitBin:
    """One bin [lower, upper) of the PIT histogram (the last one closed)."""

    lower: float
    upper: float
    count: int


@dataclass(frozen=True)
class PitCalibration:
    """The PIT histogram (flat when calibrated) and central interval coverage.

    coverage_50 is the share of PIT values in [0.25, 0.75], coverage_90 in
    [0.05, 0.95]; both None when there is nothing to count.
    """

    n: int
    bins: tuple[PitBin, ...]
    coverage_50: float | None
    coverage_90: float | None


def pit_values(cdfs: ArrayLike, outcomes: ArrayLike) -> np.ndarray:
    """Return F(u_y) for each row and its own outcome u_y.

    Below the range F_0/2, above it F_200 + (1 − F_200)/2: the middle of the
    mass beyond the bound.
    """
    f = np.array(cdfs, dtype=float, ndmin=2)
    y = np.asarray(outcomes, dtype=float).reshape(-1)
    inside = np.clip(y, 0.0, 1.0) * GRID_CELLS
    k = np.minimum(inside.astype(np.int64), GRID_CELLS - 1)
    t = inside - k
    rows = np.arange(f.shape[0])
    value = f[rows, k] + t * (f[rows, k + 1] - f[rows, k])
    value = np.where(y < 0.0, f[:, 0] / 2.0, value)
    return np.where(y > 1.0, f[:, -1] + (1.0 - f[:, -1]) / 2.0, value)


def pit_calibration(pits: ArrayLike) -> PitCalibration:
    """Return ten bins [i/10, (i+1)/10) (the last closed) and the coverages."""
    pits = np.asarray(pits, dtype=float).reshape(-1)
    which = np.searchsorted(_INNER_EDGES, pits, side="right")
    counts = np.bincount(which, minlength=PIT_BINS)
    bins = tuple(
        PitBin(i / PIT_BINS, (i + 1) / PIT_BINS, int(counts[i]))
        for i in range(PIT_BINS)
    )
    if pits.size == 0:
        return PitCalibration(0, bins, None, None)
    coverage_50 = float(np.mean((pits >= 0.25) & (pits <= 0.75)))
    coverage_90 = float(np.mean((pits >= 0.05) & (pits <= 0.95)))
    return PitCalibration(int(pits.size), bins, coverage_50, coverage_90)
