"""The three inputs of a numeric or date forecast, each turned into the stored CDF.

Every function returns the CDF in millionths (201 int64) that validate_cdf
accepts, or raises ContinuousInputError naming the field and the element.

- cdf: each value is rounded to the nearest millionth (a value with at most six
  decimals is kept exactly; more are rounded, not refused, since a CDF computed
  elsewhere carries 17 digits), then the rules apply to the rounded values.
- quantiles: F follows the straight lines (in u) through the points. The lower
  tail is the line from (0, F_0) to the first point, F_0 = 0 for a closed bound
  and, for an open one, the line through the first two points extended to u = 0
  but not below 0.001; the upper tail mirrors it (F_200 = 1, or at most 0.999).
  The points must lie in [min, max] (mass beyond an open bound is the tail's)
  and themselves leave every grid cell at least 0.00005, tails included (the
  0.0005 tolerance is not spent on that). The two grid values of the cell
  holding a point are set on the flatter of the two lines meeting there: it
  passes through the point exactly and keeps every step at least that line's,
  so points two cells apart, off the end cells, always succeed. Points in the
  same or neighbouring cells try every choice of line; failing that, F runs
  straight between the cells' grid values instead of along the points' lines;
  then a run of such cells is set point by point (each cell through its point
  from the grid value the one before fixed), left to right and right to left.
  Failing all, the first pair the flatter-line CDF misses is named.
- components: the logistic mixture G on the scaled axis; each closed side is
  rescaled away (G − G(0), over G(1) − G(0)), an open side keeps the mixture's
  own mass beyond it, as Metaculus's sliders do. Then F = a + 0.01·u +
  (1 − a − c − 0.01)·G_s with a = 0.001 for an open lower bound and c = 0.001
  for an open upper one (else 0): the 0.01·u part gives every cell exactly
  0.00005, computed in millionths as A + 50·i + round(R·G_s(u_i)), and rounding
  is monotone, so no step falls below it. (Scaling 0.99·G' + 0.01·u into
  [0.01, 0.99] would give open-bound steps of 0.98·0.00005, below the rule.)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence

import numpy as np

from forecasts.scoring.continuous import (
    GRID,
    GRID_CELLS,
    GRID_POINTS,
    MILLION,
    MIN_STEP,
    OPEN_TAIL,
    ContinuousAxis,
    ContinuousInputError,
    validate_cdf,
)

MIN_QUANTILES, MAX_QUANTILES = 2, 7
MAX_COMPONENTS = 3
# The stored CDF passes within 0.0005 of every given quantile.
QUANTILE_TOLERANCE = 500
# A line rising 0.00005 per cell rises 0.01 per unit of u: in millionths.
_MIN_SLOPE = MIN_STEP * GRID_CELLS
# z beyond ±1e300 only moves the logistic below any double's resolution.
_Z_LIMIT = 1e300


def cdf_from_values(values: Sequence[float], axis: ContinuousAxis) -> np.ndarray:
    """Return the stored CDF of {"cdf": [201 numbers]}: rounded, then validated."""
    try:
        raw = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ContinuousInputError("cdf", "must be a list of 201 numbers.") from None
    if raw.shape != (GRID_POINTS,):
        raise ContinuousInputError("cdf", f"needs {GRID_POINTS} numbers.")
    bad = np.flatnonzero(~np.isfinite(raw))
    if bad.size:
        raise ContinuousInputError("cdf", f"F[{bad[0]}] is not a number.", int(bad[0]))
    millionths = np.rint(raw * MILLION).astype(np.int64)
    validate_cdf(millionths, axis.open_lower, axis.open_upper)
    return millionths


# Quantiles ---------------------------------------------------------------------


def _pair_error(j: int, message: str) -> ContinuousInputError:
    return ContinuousInputError("quantiles", f"quantiles[{j}]: {message}", j)


def _quantile_points(pairs, axis: ContinuousAxis) -> tuple[np.ndarray, np.ndarray]:
    """Return the points' u and p (in millionths), refusing malformed pairs."""
    shape_error = ContinuousInputError(
        "quantiles", f"must be {MIN_QUANTILES} to {MAX_QUANTILES} [p, x] pairs."
    )
    try:
        points = np.asarray(pairs, dtype=float)
    except (TypeError, ValueError):
        raise shape_error from None
    if points.ndim != 2 or points.shape[1] != 2:
        raise shape_error
    if not MIN_QUANTILES <= points.shape[0] <= MAX_QUANTILES:
        raise shape_error
    p, x = points[:, 0], points[:, 1]
    u = axis.to_unit(x)
    for j in range(p.size):
        if not 0.0 < p[j] < 1.0:
            raise _pair_error(j, "p must be strictly between 0 and 1.")
        if not math.isfinite(x[j]):
            raise _pair_error(j, "x must be a number.")
        if j and p[j] <= p[j - 1]:
            raise _pair_error(j, f"p must be above quantiles[{j - 1}]'s.")
        if j and x[j] <= x[j - 1]:
            raise _pair_error(j, f"x must be above quantiles[{j - 1}]'s.")
        if not 0.0 <= u[j] <= 1.0:
            raise _pair_error(j, "x must lie inside the range.")
    return u, p * MILLION


def _check_rises(u: np.ndarray, p: np.ndarray, axis: ContinuousAxis) -> None:
    """Refuse points that leave some grid cell less than 0.00005, tails included."""
    for j in range(1, p.size):
        need = p[j - 1] + _MIN_SLOPE * (u[j] - u[j - 1])
        if p[j] < need - 1e-6:
            message = f"p must be at least {need / MILLION:.6f}: 0.00005 per grid cell"
            raise _pair_error(j, f"{message} since quantiles[{j - 1}].")
    last = p.size - 1
    if u[0] == 0.0 and not axis.open_lower:
        raise _pair_error(0, "a closed lower bound puts F = 0 at the range's minimum.")
    if u[last] == 1.0 and not axis.open_upper:
        message = "a closed upper bound puts F = 1 at the range's maximum."
        raise _pair_error(last, message)
    floor = OPEN_TAIL if axis.open_lower else 0
    need = floor + _MIN_SLOPE * u[0]
    if p[0] < need - 1e-6:
        message = f"p must be at least {need / MILLION:.6f}: 0.00005 per grid cell"
        raise _pair_error(0, f"{message} below x, from {floor / MILLION} at the bound.")
    ceiling = MILLION - (OPEN_TAIL if axis.open_upper else 0)
    need = ceiling - _MIN_SLOPE * (1.0 - u[last])
    if p[last] > need + 1e-6:
        message = f"p must be at most {need / MILLION:.6f}: 0.00005 per grid cell"
        raise _pair_error(last, f"{message} above x, up to {ceiling / MILLION}.")


def _knots(u: np.ndarray, p: np.ndarray, axis: ContinuousAxis):
    """Return the knots of the target line: the tails' ends, then the points."""
    first_slope = (p[1] - p[0]) / (u[1] - u[0])
    last_slope = (p[-1] - p[-2]) / (u[-1] - u[-2])
    low = max(OPEN_TAIL, p[0] - first_slope * u[0]) if axis.open_lower else 0.0
    high = MILLION - OPEN_TAIL if axis.open_upper else MILLION
    if axis.open_upper:
        high = min(high, p[-1] + last_slope * (1.0 - u[-1]))
    knot_u, knot_p = list(u), list(p)
    if u[0] > 0.0:
        knot_u, knot_p = [0.0, *knot_u], [low, *knot_p]
    if u[-1] < 1.0:
        knot_u, knot_p = [*knot_u, 1.0], [*knot_p, high]
    return np.asarray(knot_u), np.asarray(knot_p)


def _cell_lines(u: np.ndarray, p: np.ndarray, knot_u, knot_p) -> list[list]:
    """Return, per point, the ways to set the grid values around it, flatter first.

    A way is a tuple of edits (i, F_i): both ends of the point's cell on one of
    the two lines meeting at the point, or the grid value of a point on one.
    """
    slopes = np.diff(knot_p) / np.diff(knot_u)
    ways = []
    for j in range(u.size):
        position = u[j] * GRID_CELLS
        if position == int(position):
            ways.append([((int(position), p[j]),)])
            continue
        cell, at = int(position), int(np.searchsorted(knot_u, u[j]))
        lines = sorted({slopes[at - 1], slopes[at]})
        ends = (cell, cell + 1)
        ways.append(
            [tuple((i, p[j] + s * (GRID[i] - u[j])) for i in ends) for s in lines]
        )
    return ways


def _anchored(knot_p: np.ndarray, ways) -> np.ndarray:
    """Return the grid values set by the ways and the range ends, linear between."""
    anchors = {0: knot_p[0], GRID_CELLS: knot_p[-1]}
    for way in ways:
        anchors.update(way)
    index = sorted(anchors)
    return np.interp(GRID, GRID[index], [anchors[i] for i in index])


def _propagated(knot_p, ways, order, u, p) -> np.ndarray:
    """Return grid values set point by point, in this order, linear between.

    A point's cell with one grid value already set (by the range end or the
    point before) takes the other so the cell passes through the point; with
    neither set, the flatter line sets both. A run of points in neighbouring
    cells then bends at each grid value rather than along the points' lines.
    """
    fixed = {0: knot_p[0], GRID_CELLS: knot_p[-1]}
    for j in order:
        position = u[j] * GRID_CELLS
        cell = int(position)
        t = position - cell
        if t == 0.0:
            fixed[cell] = p[j]
        elif cell in fixed and cell + 1 not in fixed:
            fixed[cell + 1] = (p[j] - (1 - t) * fixed[cell]) / t
        elif cell + 1 in fixed and cell not in fixed:
            fixed[cell] = (p[j] - t * fixed[cell + 1]) / (1 - t)
        elif cell not in fixed:
            fixed.update(ways[j][0])
    index = sorted(fixed)
    return np.interp(GRID, GRID[index], [fixed[i] for i in index])


def _fit(target: np.ndarray, u, p, axis) -> ContinuousInputError | np.ndarray:
    """Return the target as a stored CDF, or the error naming the pair it fails."""
    if not np.isfinite(target).all():
        # Points a few ulps apart give infinite slopes: nothing to draw.
        j = int(np.argmin(np.diff(u))) + 1
        return _pair_error(j, "x is too close to the pair before it.")
    millionths = np.rint(target).astype(np.int64)
    misses = np.abs(np.interp(u, GRID, millionths) - p) > QUANTILE_TOLERANCE
    if misses.any():
        j = int(np.flatnonzero(misses)[0])
        message = "the grid cannot pass within 0.0005 of it and its neighbour"
        return _pair_error(j, f"{message}: move them further apart.")
    try:
        validate_cdf(millionths, axis.open_lower, axis.open_upper)
    except ContinuousInputError as error:
        j = int(np.argmin(np.abs(u - (error.index - 0.5) / GRID_CELLS)))
        return _pair_error(j, f"the CDF through it breaks the {error.message}")
    return millionths


def _targets(knot_u, knot_p, ways, u, p):
    """Yield the candidate grid values: the lines with each way, then anchored."""
    lines = np.interp(GRID, knot_u, knot_p)
    for chosen in itertools.product(*ways):
        target = lines.copy()
        for way in chosen:
            for i, value in way:
                target[i] = value
        yield target
    for chosen in itertools.product(*ways):
        yield _anchored(knot_p, chosen)
    for order in (range(len(ways)), range(len(ways) - 1, -1, -1)):
        yield _propagated(knot_p, ways, order, u, p)


def cdf_from_quantiles(pairs, axis: ContinuousAxis) -> np.ndarray:
    """Return the stored CDF through {"quantiles": [[p, x], …]} within 0.0005."""
    u, p = _quantile_points(pairs, axis)
    _check_rises(u, p, axis)
    first_failure = None
    with np.errstate(over="ignore", invalid="ignore"):
        knot_u, knot_p = _knots(u, p, axis)
        ways = _cell_lines(u, p, knot_u, knot_p)
        for target in _targets(knot_u, knot_p, ways, u, p):
            result = _fit(target, u, p, axis)
            if not isinstance(result, ContinuousInputError):
                return result
            first_failure = first_failure or result
    raise first_failure


# Components --------------------------------------------------------------------


def _component_error(c: int, message: str) -> ContinuousInputError:
    return ContinuousInputError("components", f"components[{c}]: {message}", c)


def _components(components, axis: ContinuousAxis):
    """Return the components' centres (in u), spreads and normalised weights."""
    if not isinstance(components, Sequence) or not (
        1 <= len(components) <= MAX_COMPONENTS
    ):
        message = f"must be 1 to {MAX_COMPONENTS} components."
        raise ContinuousInputError("components", message)
    values = []
    for c, component in enumerate(components):
        try:
            row = [float(component[key]) for key in ("center", "spread", "weight")]
        except (KeyError, TypeError, ValueError):
            row = None
        if row is None or not isinstance(component, Mapping):
            raise _component_error(c, "needs a center, a spread and a weight.")
        if not all(math.isfinite(v) for v in row):
            raise _component_error(c, "center, spread and weight must be numbers.")
        if axis.log and row[0] <= 0.0:
            raise _component_error(c, "center must be above 0 on a log scale.")
        if row[1] <= 0.0 or row[2] <= 0.0:
            raise _component_error(c, "spread and weight must be above 0.")
        values.append(row)
    center, spread, weight = np.asarray(values).T
    return axis.to_unit(center), spread, weight / weight.sum()


def _log_sigmoid(z: np.ndarray) -> np.ndarray:
    """Return ln σ(z) = −ln(1 + e^−z) without overflow."""
    return -np.logaddexp(0.0, -z)


def _log_rise(z_from: np.ndarray, z: np.ndarray) -> np.ndarray:
    """Return ln(σ(z) − σ(z_from)) for z ≥ z_from, accurate deep in either tail.

    Both in the upper tail, σ(z) − σ(z_from) = σ(−z_from) − σ(−z), whose terms
    are small there and so keep their digits.
    """
    upper = z_from >= 0.0
    high = np.where(upper, _log_sigmoid(-z_from), _log_sigmoid(z))
    low = np.where(upper, _log_sigmoid(-z), _log_sigmoid(z_from))
    with np.errstate(divide="ignore"):
        return high + np.log(-np.expm1(low - high))


def _mixture_shape(center, spread, weight, axis: ContinuousAxis) -> np.ndarray:
    """Return G_s at the grid: G rescaled to run 0…1 on the closed sides.

    G_s = (G − L)/(U − L), L = G(0) on a closed lower side (else 0), U = G(1) on
    a closed upper side (else 1): nondecreasing, computed in logs so that a
    mixture far outside the range still has a shape.
    """
    with np.errstate(over="ignore"):
        z = (GRID[np.newaxis, :] - center[:, None]) / spread[:, None]
    z = np.clip(z, -_Z_LIMIT, _Z_LIMIT)
    z_low = z[:, 0]
    log_w = np.log(weight)[:, None]
    per = _log_sigmoid(z) if axis.open_lower else _log_rise(z_low[:, None], z)
    log_rise = np.logaddexp.reduce(log_w + per, axis=0)
    if not axis.open_upper:
        log_span = log_rise[-1]
    elif axis.open_lower:
        log_span = 0.0
    else:
        log_span = np.logaddexp.reduce(log_w[:, 0] + _log_sigmoid(-z_low))
    if not np.isfinite(log_span):
        # A mixture too flat to rise in doubles over the range is uniform there.
        return GRID.copy()
    shape = np.clip(np.exp(log_rise - log_span), 0.0, 1.0)
    return np.maximum.accumulate(shape)


def cdf_from_components(components, axis: ContinuousAxis) -> np.ndarray:
    """Return the stored CDF A + 50·i + round(R·G_s(u_i)) of a logistic mixture."""
    center, spread, weight = _components(components, axis)
    shape = _mixture_shape(center, spread, weight, axis)
    start = OPEN_TAIL if axis.open_lower else 0
    free = MILLION - MIN_STEP * GRID_CELLS - start
    free -= OPEN_TAIL if axis.open_upper else 0
    steps = MIN_STEP * np.arange(GRID_POINTS, dtype=np.int64)
    millionths = start + steps + np.rint(free * shape).astype(np.int64)
    # Valid by construction (rounding is monotone, G_s runs 0…1 on closed sides);
    # checked all the same so a broken construction can never be stored.
    validate_cdf(millionths, axis.open_lower, axis.open_upper)
    return millionths
