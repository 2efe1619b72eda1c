"""6. Reference check: the scoring engine against scikit-learn on the same pairs.

Binary Brier scores must agree with 2 × brier_score_loss (scikit-learn uses
the 0..1 scale) and calibration bins with calibration_curve, to 1e-9; the
generator keeps forecasts off the bin edges, where the two bin differently.
Speed is a ratio to plain numpy on the same arrays: ((p − o)²).mean() for
Brier, three bincounts by tenths for calibration (scikit-learn's times are
notes); calibration from bincounts must equal the points path to 1e-12.
"""

from dataclasses import dataclass

import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

from bench import slow
from bench.calibration import largest_difference as calibration_difference
from bench.data import binary_bp
from bench.timing import Figure, best_of
from forecasts import scoring
from forecasts.ledger import BP

NAME = "reference"
AGREEMENT = 1e-9


@dataclass(frozen=True)
class Size:
    pairs: int
    forecasters: int
    repeat: int


SIZES = {"full": Size(1_000_000, 100_000, 9), "tiny": Size(500, 50, 1)}


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return the agreement with scikit-learn and the speed against plain numpy."""
    users = rng.integers(0, size.forecasters, size.pairs)
    yes = binary_bp(rng, users)[:, 1] / BP
    outcomes = (rng.random(size.pairs) < yes).astype(int)
    vectors = np.column_stack([1.0 - yes, yes])
    ours = engine_brier(vectors, outcomes)
    theirs = 2.0 * brier_score_loss(outcomes, yes)
    table = scoring.calibration(yes, outcomes)
    observed, predicted = calibration_curve(outcomes, yes, n_bins=10)
    points = slow.calibration_by_points(yes, outcomes.astype(float))
    what = f"{size.pairs:,} binary pairs"
    repeat = size.repeat

    def best_ms(call) -> float:
        return best_of(call, repeat) * 1000

    return [
        _agreement(f"mean Brier vs 2 × brier_score_loss ({what})", abs(ours - theirs)),
        _agreement(
            "mean Brier vs 2 × plain numpy",
            abs(ours - 2.0 * slow.numpy_brier(yes, outcomes)),
        ),
        _agreement(
            "calibration bins vs calibration_curve (mean forecast, frequency)",
            bins_difference(table, observed, predicted),
        ),
        Figure(
            NAME,
            "calibration from bincounts vs the points path (every bin and term)",
            calibration_difference(table, points),
            "",
            target=1e-12,
            on="value",
        ),
        Figure(
            NAME,
            f"Brier of {what}: scoring.brier_many",
            best_ms(lambda: engine_brier(vectors, outcomes)),
            "ms",
            "plain numpy ((p − o)²).mean() on the same arrays",
            best_ms(lambda: slow.numpy_brier(yes, outcomes)),
            target=2.0,
            notes={
                "scikit-learn brier_score_loss, ms": best_ms(
                    lambda: brier_score_loss(outcomes, yes)
                )
            },
        ),
        Figure(
            NAME,
            f"calibration of {what}: scoring.calibration",
            best_ms(lambda: scoring.calibration(yes, outcomes)),
            "ms",
            "plain numpy binning (bincount of n, Σp, Σo by tenths)",
            best_ms(lambda: slow.numpy_binning(yes, outcomes)),
            target=2.0,
            notes={
                "scikit-learn calibration_curve, ms": best_ms(
                    lambda: calibration_curve(outcomes, yes, n_bins=10)
                ),
                "the points path it replaced, ms": best_ms(
                    lambda: slow.calibration_by_points(yes, outcomes)
                ),
            },
        ),
    ]


def engine_brier(vectors: np.ndarray, outcomes: np.ndarray) -> float:
    """Return the mean Brier (0..2) with brier_many, an outcome per row."""
    return float(scoring.brier_many(vectors, outcomes).mean())


def bins_difference(table, observed, predicted) -> float:
    """Return the largest difference between the non-empty bins of both."""
    filled = [b for b in table.bins if b.count]
    if len(filled) != len(observed):
        return float("inf")
    ours = np.array([(b.observed_frequency, b.mean_forecast) for b in filled])
    return float(np.max(np.abs(ours - np.column_stack([observed, predicted]))))


def _agreement(name: str, difference: float) -> Figure:
    return Figure(NAME, name, difference, "", target=AGREEMENT, on="value")
