"""Slow reference integrals of the CRPS, used only to check the exact one.

Both read F straight from its definition (linear in u between the grid points
i/200) and share no code with forecasts.scoring.continuous.
"""

from fractions import Fraction

import numpy as np


def _interpolate(cdf: list[Fraction], u: Fraction) -> Fraction:
    """Return F(u) by linear interpolation between the grid points i/200."""
    cell = min(int(u * 200), 199)
    t = u * 200 - cell
    return cdf[cell] + t * (cdf[cell + 1] - cdf[cell])


def fraction_crps(cdf, outcome: float) -> Fraction:
    """Return ∫₀¹ (F − 1{u ≥ y})² du in exact rationals.

    On each piece between consecutive breakpoints (the grid and y) the
    integrand is a quadratic, which Simpson's rule integrates exactly.
    """
    f = [Fraction(float(v)) for v in cdf]
    y = Fraction(min(max(float(outcome), 0.0), 1.0))
    cuts = sorted({Fraction(i, 200) for i in range(201)} | {y})
    total = Fraction(0)
    for a, b in zip(cuts, cuts[1:], strict=False):
        step = 1 if a >= y else 0
        ends = [(_interpolate(f, v) - step) ** 2 for v in (a, (a + b) / 2, b)]
        total += (b - a) * (ends[0] + 4 * ends[1] + ends[2]) / 6
    return total


def fraction_square_integral(values) -> Fraction:
    """Return ∫₀¹ D(u)² du in exact rationals, D linear between grid points.

    It is the CRPS integral with the outcome at the top of the range, where
    the step 1{u ≥ 1} vanishes but for one point.
    """
    return fraction_crps(values, 1.0)


def midpoint_crps(cdf, outcome: float, points: int = 200_000) -> float:
    """Return ∫₀¹ (F − 1{u ≥ y})² du as midpoint sums on each side of y."""
    f = np.asarray(cdf, dtype=float)
    grid = np.arange(201) / 200
    y = min(max(float(outcome), 0.0), 1.0)
    total = 0.0
    for low, high, step in ((0.0, y, 0.0), (y, 1.0, 1.0)):
        width = (high - low) / points
        mids = low + (np.arange(points) + 0.5) * width
        total += width * np.sum((np.interp(mids, grid, f) - step) ** 2)
    return total
