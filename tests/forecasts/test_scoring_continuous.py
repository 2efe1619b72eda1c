"""Hand-checked numbers and properties of numeric and date question scoring."""

import math
from datetime import UTC, datetime

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from forecasts import scoring
from forecasts.scoring import ContinuousAxis, ContinuousInputError
from tests.forecasts.continuous_reference import (
    fraction_crps,
    fraction_square_integral,
    midpoint_crps,
)

UNIT = ContinuousAxis(0.0, 1.0)  # u = x: hand numbers read off directly
OPEN = ContinuousAxis(0.0, 1.0, open_lower=True, open_upper=True)
GRID = np.arange(201) / 200
# F_i = i/200: the uniform CDF of a closed range, in millionths 5000·i.
UNIFORM = GRID.copy()
UNIFORM_MILLIONTHS = 5000 * np.arange(201)


def open_cdf():
    """Return F_0 = 0.1, steps 0.004, F_200 = 0.9: 0.1 beyond each bound."""
    return 0.1 + 0.004 * np.arange(201)


def millionths(values):
    return np.asarray(values, dtype=np.int64)


def raises_named(field, index, call, *args):
    """Call and return the ContinuousInputError, checking its field and index."""
    with pytest.raises(ContinuousInputError) as caught:
        call(*args)
    assert caught.value.field == field
    assert caught.value.index == index
    return caught.value


# The scaled axis ---------------------------------------------------------------


def test_linear_axis_maps_the_range_onto_zero_one():
    axis = ContinuousAxis(100.0, 300.0)

    # (150 − 100)/(300 − 100) = 0.25; below and above the range leave [0, 1].
    assert axis.to_unit([100.0, 150.0, 300.0, 50.0, 400.0]) == pytest.approx(
        [0.0, 0.25, 1.0, -0.25, 1.5]
    )
    # x_i = 100 + 200·i/200 = 100 + i
    assert axis.grid()[[0, 1, 50, 200]] == pytest.approx([100.0, 101.0, 150.0, 300.0])


def test_log_axis_maps_logarithms_and_puts_non_positive_values_below():
    axis = ContinuousAxis(1.0, 1000.0, log=True)

    # (ln 10 − ln 1)/(ln 1000 − ln 1) = 1/3; ln 100/ln 1000 = 2/3.
    assert axis.to_unit([10.0, 100.0]) == pytest.approx([1 / 3, 2 / 3])
    assert axis.to_unit([0.0, -5.0]).tolist() == [-math.inf, -math.inf]
    # x_100 = exp(ln 1000/2) = √1000 = 31.6227766
    assert axis.grid()[100] == pytest.approx(31.6227766)


def test_grid_ends_are_the_range_ends_exactly():
    axis = ContinuousAxis(32768.0, 16777216.0, log=True)

    grid = axis.grid()

    assert grid[0] == 32768.0
    assert grid[200] == 16777216.0
    # 2^15 … 2^24 is nine doublings: x_i = 2^(15 + 9i/200), so x_100 = 2^19.5.
    assert grid[100] == pytest.approx(2**19.5)


def test_date_axis_is_linear_in_posix_seconds():
    start = datetime(2025, 2, 26, tzinfo=UTC).timestamp()
    end = datetime(2028, 1, 1, tzinfo=UTC).timestamp()
    axis = ContinuousAxis(start, end)
    launch = datetime(2026, 6, 1, tzinfo=UTC).timestamp()

    # 2025-02-26 → 2026-06-01 is 460 days of the range's 1039 days.
    assert axis.to_unit(launch) == pytest.approx(460 / 1039)
    assert axis.from_unit(460 / 1039) == pytest.approx(launch)


@pytest.mark.parametrize(
    ("low", "high", "log"), [(1.0, 1.0, False), (5.0, 1.0, False), (0.0, 10.0, True)]
)
def test_an_axis_needs_an_increasing_range_and_a_positive_log_minimum(low, high, log):
    with pytest.raises(ValueError, match="range_min"):
        ContinuousAxis(low, high, log)


# Validation of the stored CDF ----------------------------------------------------


def test_uniform_and_baseline_cdfs_are_valid():
    scoring.validate_cdf(UNIFORM_MILLIONTHS, False, False)
    for lower in (False, True):
        for upper in (False, True):
            scoring.validate_cdf(scoring.baseline_cdf(lower, upper), lower, upper)


def test_baseline_cdf_spreads_the_inner_mass_evenly():
    both = scoring.baseline_cdf(True, True)

    # 0.05 below; (1 − 2·0.05)/200 = 0.0045 per cell; 0.05 above.
    assert both[[0, 1, 200]].tolist() == [50000, 54500, 950000]
    # One open bound: (1 − 0.05)/200 = 0.00475 per cell.
    assert scoring.baseline_cdf(False, True)[[0, 1, 200]].tolist() == [0, 4750, 950000]


@pytest.mark.parametrize(
    ("change", "open_lower", "open_upper", "index", "rule"),
    [
        ({0: 1}, False, False, 0, "closed lower bound"),  # F_0 = 0.000001
        ({0: 999}, True, False, 0, "open lower bound"),  # 0.000999 < 0.001
        ({200: 999999}, False, False, 200, "closed upper bound"),
        ({200: 999001}, False, True, 200, "open upper bound"),  # > 0.999
        # F_17 = 85000 − 4951 leaves F_17 − F_16 = 49; F_30 too, later.
        ({17: 80049, 30: 145049}, False, False, 17, "step rule"),
        ({120: 595000}, False, False, 120, "step rule"),  # a step of 0
    ],
)
def test_each_rule_names_itself_and_its_first_index(
    change, open_lower, open_upper, index, rule
):
    cdf = UNIFORM_MILLIONTHS.copy()
    if open_lower:
        cdf[0] = 1000  # the uniform CDF's F_1 = 5000 keeps its first step
    if open_upper:
        cdf[200] = 999000
    for i, value in change.items():
        cdf[i] = value

    error = raises_named(
        "cdf", index, scoring.validate_cdf, cdf, open_lower, open_upper
    )

    assert rule in error.message
    assert f"F[{index}]" in error.message


def test_a_cdf_of_the_wrong_length_is_refused():
    error = raises_named("cdf", None, scoring.validate_cdf, np.zeros(200), False, False)
    assert "201" in error.message


def test_cdf_strings_are_exact_six_decimal_numbers():
    assert scoring.cdf_strings([0, 50, 123456, 1000000]) == [
        "0.000000",
        "0.000050",
        "0.123456",
        "1.000000",
    ]


# The explicit CDF input ----------------------------------------------------------


def test_cdf_input_with_six_decimals_is_kept_exactly():
    values = [round(i * 0.005, 6) for i in range(201)]

    stored = scoring.cdf_from_values(values, UNIT)

    assert stored.tolist() == UNIFORM_MILLIONTHS.tolist()


def test_cdf_input_is_rounded_to_millionths_then_validated():
    values = UNIFORM.copy()
    values[1] = 0.0050004  # rounds to 5000
    values[2] = 0.0099996  # rounds to 10000

    assert scoring.cdf_from_values(values, UNIT)[:3].tolist() == [0, 5000, 10000]

    values[3] = 0.0100496  # rounds to 10050: F_3 − F_2 = 0.00005, allowed
    assert scoring.cdf_from_values(values, UNIT)[3] == 10050
    values[3] = 0.0100494  # rounds to 10049: a step of 0.000049
    raises_named("cdf", 3, scoring.cdf_from_values, values, UNIT)


def test_cdf_input_that_is_not_a_number_is_refused_at_its_index():
    values = UNIFORM.tolist()
    values[7] = math.nan

    raises_named("cdf", 7, scoring.cdf_from_values, values, UNIT)
    raises_named("cdf", None, scoring.cdf_from_values, values[:100], UNIT)
    raises_named("cdf", None, scoring.cdf_from_values, [[0.1, 0.2], [0.3]], UNIT)


# CRPS and the Brier score ----------------------------------------------------------


def test_crps_of_the_uniform_cdf_at_a_quarter():
    # ∫₀^¼ u² du + ∫_¼^1 (1 − u)² du = 0.25³/3 + 0.75³/3 = 0.0052083 + 0.140625
    assert scoring.crps(UNIFORM, 0.25) == pytest.approx(0.25**3 / 3 + 0.75**3 / 3)
    assert scoring.crps(UNIFORM, 0.25) == pytest.approx(0.1458333333)


@pytest.mark.parametrize("outcome", [0.0, 1.0, -math.inf, math.inf, -0.5, 7.0])
def test_crps_of_the_uniform_cdf_at_either_end_is_a_third(outcome):
    # At u_y = 0 (or below, clamped): ∫₀¹ (1 − u)² du = 1/3; at 1: ∫ u² = 1/3.
    assert scoring.crps(UNIFORM, outcome) == pytest.approx(1 / 3)


def sharpest_cdf():
    """Return the sharpest valid CDF centred on u = 0.5, in millionths.

    198 steps of 50 and the two cells meeting at 0.5 share the rest:
    (1000000 − 198·50)/2 = 495050 each. F_99 = 4950, F_100 = 500000,
    F_101 = 995050, F_200 = 995050 + 99·50 = 1000000.
    """
    steps = np.full(200, 50)
    steps[[99, 100]] = 495050
    return np.concatenate(([0], np.cumsum(steps)))


def test_the_sharpest_cdf_centred_on_the_outcome_scores_below_a_thousandth():
    cdf = sharpest_cdf()
    scoring.validate_cdf(cdf, False, False)

    score = scoring.crps(scoring.cdf_floats(cdf), 0.5)

    # On [0, 0.495] F = 0.01·u: ∫ (0.01u)² = 10⁻⁴·0.495³/3 = 4.0429125e-6.
    # On [0.495, 0.5] F runs 0.00495 → 0.5: 0.005/3·(0.00495² + 0.00495·0.5
    # + 0.5²) = 0.005/3·0.2524995025 = 4.2083250417e-4. The right half mirrors
    # it: crps = 2·(4.0429125e-6 + 4.2083250417e-4) = 8.4975083333e-4.
    assert score == pytest.approx(8.4975083333e-4)
    assert score < 0.001


def test_brier_is_twice_crps_on_the_categorical_brier_scale():
    # Each threshold's binary Brier is 2·(F − 1{y ≤ u})²: uniform at ¼ gives
    # 2·0.1458333 = 0.2916667.
    assert scoring.continuous_brier(UNIFORM, 0.25) == pytest.approx(0.2916666667)
    rows = np.stack([UNIFORM, scoring.cdf_floats(sharpest_cdf())])
    assert scoring.continuous_brier_many(rows, 0.5) == pytest.approx(
        [2 * (0.5**3 / 3 + 0.5**3 / 3), 2 * 8.4975083333e-4]
    )


def test_crps_many_scores_every_row_like_crps():
    rows = np.stack([UNIFORM, open_cdf(), scoring.cdf_floats(sharpest_cdf())])

    many = scoring.crps_many(rows, 0.3)

    assert many.tolist() == [scoring.crps(row, 0.3) for row in rows]


# Buckets, log, baseline and peer scores -----------------------------------------


@pytest.mark.parametrize(
    ("outcome", "bucket"),
    [
        (-math.inf, 0),
        (-0.001, 0),
        (0.0, 1),  # max(1, ⌈0⌉)
        (0.25, 50),  # ⌈200·0.25⌉ = 50: a grid point closes its bucket
        (0.2525, 51),  # ⌈50.5⌉
        (1.0, 200),
        (1.0001, 201),
        (math.inf, 201),
    ],
)
def test_outcome_bucket(outcome, bucket):
    assert scoring.outcome_bucket(outcome) == bucket


def test_an_outcome_at_a_log_grid_point_falls_in_that_points_bucket():
    axis = ContinuousAxis(0.05, 50.0, log=True)

    for k in (1, 37, 50, 133, 200):
        assert scoring.outcome_bucket(float(axis.to_unit(axis.grid()[k]))) == k


def test_pmf_has_202_buckets_summing_to_one():
    masses = scoring.pmf(open_cdf())

    assert masses.shape == (202,)
    assert masses[[0, 1, 200, 201]] == pytest.approx([0.1, 0.004, 0.004, 0.1])
    assert masses.sum() == pytest.approx(1.0)


def test_log_and_baseline_scores_of_the_uniform_cdf():
    # pmf_b = 0.005 = β_b with both bounds closed: baseline 50·ln 1 = 0.
    assert scoring.continuous_log_scores(UNIFORM, 0.3) == pytest.approx(
        [math.log(0.005)]
    )
    assert scoring.continuous_baseline_scores(
        UNIFORM, 0.3, False, False
    ) == pytest.approx([0.0])


def test_baseline_scores_with_open_bounds():
    cdf = open_cdf()

    # Above the range: pmf = 1 − 0.9 = 0.1, β = 0.05: 50·ln 2 = 34.657359.
    above = scoring.continuous_baseline_scores(cdf, math.inf, True, True)
    # Inside: pmf = 0.004, β = (1 − 2·0.05)/200 = 0.0045: 50·ln(8/9) = −5.889152.
    inside = scoring.continuous_baseline_scores(cdf, 0.3, True, True)

    assert above == pytest.approx([34.657359])
    assert inside == pytest.approx([-5.889152])
    assert scoring.continuous_log_scores(cdf, math.inf) == pytest.approx(
        [math.log(0.1)]
    )


def test_baseline_score_of_an_outcome_beyond_a_closed_bound_is_an_error():
    with pytest.raises(ValueError, match="closed bound"):
        scoring.continuous_baseline_scores(UNIFORM, math.inf, False, False)


def test_peer_scores_of_two_forecasters_are_halved_and_opposite():
    # The second moves 0.015 onto bucket 61 (0.3 < u ≤ 0.305), 0.0005 from each
    # of buckets 62…91: pmf_61 = 0.02 against the uniform's 0.005.
    # 50·2·(ln 0.005 − ½(ln 0.005 + ln 0.02)) = 50·ln(0.005/0.02) = −69.314718.
    steps = np.full(200, 0.005)
    steps[60] = 0.02
    steps[61:91] = 0.0045
    sharp = np.concatenate(([0.0], np.cumsum(steps)))

    peers = scoring.continuous_peer_scores(np.stack([UNIFORM, sharp]), 0.3025)

    assert peers == pytest.approx([-69.314718, 69.314718])


def test_peer_score_of_a_lone_forecaster_is_nan():
    assert np.isnan(scoring.continuous_peer_scores(UNIFORM, 0.3)).all()


# The quantiles input -------------------------------------------------------------


def passes_near(cdf, pairs, axis=UNIT):
    """Return whether the stored CDF, read linearly, is within 0.0005 of each p."""
    f = scoring.cdf_floats(cdf)
    return all(abs(np.interp(axis.to_unit(x), GRID, f) - p) <= 0.0005 for p, x in pairs)


def test_quantiles_on_the_uniform_line_give_the_uniform_cdf():
    # (0, 0), (¼, ¼), (¾, ¾), (1, 1) are one straight line: F_i = i/200.
    cdf = scoring.cdf_from_quantiles([[0.25, 0.25], [0.75, 0.75]], UNIT)

    assert cdf.tolist() == UNIFORM_MILLIONTHS.tolist()


def test_quantiles_between_grid_points_are_met_within_tolerance():
    pairs = [[0.1, 0.123], [0.5, 0.4567], [0.9, 0.8888]]

    cdf = scoring.cdf_from_quantiles(pairs, UNIT)

    scoring.validate_cdf(cdf, False, False)
    assert passes_near(cdf, pairs)
    # Far from the points F follows their lines: at u = 0.3,
    # 0.1 + 0.4·(0.3 − 0.123)/(0.4567 − 0.123) = 0.1 + 0.4·0.530417 = 0.312167.
    assert cdf[60] == pytest.approx(312167, abs=1)
    # The lower tail is the line from (0, 0) to (0.123, 0.1): F(0.1) = 0.081301.
    assert cdf[20] == pytest.approx(81301, abs=1)


def test_the_cell_holding_a_point_follows_the_flatter_line_through_it():
    # Points (0.4005, 0.2) and (0.6005, 0.8), a tenth into cells 80 and 120.
    # Lower tail slope 0.2/0.4005 = 0.499376, middle 0.6/0.2 = 3, upper tail
    # 0.2/0.3995 = 0.500626. Cell 80 takes the tail's line: F_80 = 0.4·0.499376
    # = 0.199750, F_81 = 0.405·0.499376 = 0.202247 (the middle line's 0.1985
    # and 0.2135 would be valid too, but steeper). Cell 120 takes the upper
    # tail's: F_120 = 0.8 − 0.0005·0.500626 = 0.799750, F_121 = 0.8 +
    # 0.0045·0.500626 = 0.802253. Elsewhere the middle line: F_82 = 0.2 +
    # 3·0.0095 = 0.2285, F_119 = 0.8 − 3·0.0055 = 0.7835.
    pairs = [[0.2, 0.4005], [0.8, 0.6005]]

    cdf = scoring.cdf_from_quantiles(pairs, UNIT)

    assert cdf[[80, 81, 82]].tolist() == [199750, 202247, 228500]
    assert cdf[[119, 120, 121]].tolist() == [783500, 799750, 802253]
    assert passes_near(cdf, pairs)


def test_open_bounds_extend_the_outer_lines_to_the_range_ends():
    # Slope (0.7 − 0.3)/(0.75 − 0.25) = 0.8: F_0 = 0.3 − 0.8·0.25 = 0.1 and
    # F_200 = 0.7 + 0.8·0.25 = 0.9.
    gentle = scoring.cdf_from_quantiles([[0.3, 0.25], [0.7, 0.75]], OPEN)
    # Slope (0.8 − 0.2)/0.2 = 3 would reach −1 and 2: clamped to 0.001, 0.999.
    steep = scoring.cdf_from_quantiles([[0.2, 0.4], [0.8, 0.6]], OPEN)

    assert gentle[[0, 100, 200]].tolist() == [100000, 500000, 900000]
    assert steep[[0, 80, 120, 200]].tolist() == [1000, 200000, 800000, 999000]
    # The clamped lower tail is the line (0, 0.001) → (0.4, 0.2): at 0.2, 0.1005.
    assert steep[40] == 100500


def test_quantiles_of_a_date_question_take_posix_seconds():
    start = datetime(2025, 2, 26, tzinfo=UTC).timestamp()
    end = datetime(2028, 1, 1, tzinfo=UTC).timestamp()
    axis = ContinuousAxis(start, end, open_upper=True)
    pairs = [
        [0.1, datetime(2025, 6, 1, tzinfo=UTC).timestamp()],
        [0.5, datetime(2026, 1, 1, tzinfo=UTC).timestamp()],
        [0.8, datetime(2027, 1, 1, tzinfo=UTC).timestamp()],
    ]

    cdf = scoring.cdf_from_quantiles(pairs, axis)

    scoring.validate_cdf(cdf, False, True)
    assert passes_near(cdf, pairs, axis)


def test_percentiles_days_apart_on_a_three_year_range_bend_at_the_grid():
    # 1039 days in 200 cells: 5.195 days each. Days 400, 403 and 410 sit at
    # 76.998, 77.575 and 78.922 cells, in three neighbouring cells; the lines
    # through them are far steeper than the tails, so the cells are set one
    # after another: F_77 ≈ 0.1 (the tail's line), then through day 403 at
    # t = 0.5746: F_78 = (0.5 − 0.4254·0.1)/0.5746 = 0.7961, and through day
    # 410 at t = 0.922: F_79 = (0.9 − 0.078·0.7961)/0.922 = 0.9088.
    day = 86400.0
    axis = ContinuousAxis(0.0, 1039 * day, open_upper=True)
    pairs = [[0.1, 400 * day], [0.5, 403 * day], [0.9, 410 * day]]

    cdf = scoring.cdf_from_quantiles(pairs, axis)

    scoring.validate_cdf(cdf, False, True)
    assert passes_near(cdf, pairs, axis)
    assert cdf[78] == pytest.approx(796100, abs=100)
    assert cdf[79] == pytest.approx(908800, abs=100)


def test_percentiles_that_no_grid_cdf_can_meet_name_a_pair():
    # 50% by day 401 and 90% by day 402 both lie in cell 77 (400.0…405.2
    # days): its one line would climb 0.4 per 0.19 cell, past 1 by the cell's
    # end.
    day = 86400.0
    axis = ContinuousAxis(0.0, 1039 * day, open_upper=True)
    pairs = [[0.1, 400 * day], [0.5, 401 * day], [0.9, 402 * day]]

    error = raises_named("quantiles", 0, scoring.cdf_from_quantiles, pairs, axis)
    assert "move them further apart" in error.message


def test_two_quantiles_in_one_grid_cell_share_its_line():
    # Both lie in the cell [0.5, 0.505]: the cell follows the line through them.
    pairs = [[0.5, 0.501], [0.51, 0.504]]

    cdf = scoring.cdf_from_quantiles(pairs, UNIT)

    scoring.validate_cdf(cdf, False, False)
    assert passes_near(cdf, pairs)


@pytest.mark.parametrize(
    ("pairs", "index", "words"),
    [
        ([[0.5, 0.3], [0.4, 0.6]], 1, "p must be above"),
        ([[0.2, 0.6], [0.4, 0.6]], 1, "x must be above"),
        ([[0.0, 0.2], [0.4, 0.6]], 0, "between 0 and 1"),
        ([[0.2, 0.2], [1.0, 0.6]], 1, "between 0 and 1"),
        ([[0.2, 0.2], [0.6, 1.5]], 1, "inside the range"),
        ([[0.2, 0.2], [0.6, math.nan]], 1, "x must be a number"),
        # 0.01 per unit of u from 0.2 at 0.2 to 0.6: at least 0.204.
        ([[0.1, 0.1], [0.2, 0.2], [0.203, 0.6]], 2, "at least 0.204000"),
        # Closed lower bound: from 0 at u = 0, 0.01·0.5 = 0.005 by u = 0.5.
        ([[0.004, 0.5], [0.6, 0.7]], 0, "at least 0.005000"),
        # Closed lower bound: F = 0 at the minimum, so no p > 0 there.
        ([[0.1, 0.0], [0.6, 0.7]], 0, "closed lower bound"),
        ([[0.1, 0.2], [0.6, 1.0]], 1, "closed upper bound"),
    ],
)
def test_quantiles_that_cannot_be_met_name_the_pair(pairs, index, words):
    error = raises_named("quantiles", index, scoring.cdf_from_quantiles, pairs, UNIT)

    assert words in error.message
    assert f"quantiles[{index}]" in error.message


def test_open_upper_tail_needs_room_above_the_last_quantile():
    # Open: F_200 ≤ 0.999 and 0.01·0.5 above u = 0.5, so p ≤ 0.994.
    error = raises_named(
        "quantiles", 1, scoring.cdf_from_quantiles, [[0.2, 0.3], [0.995, 0.5]], OPEN
    )
    assert "at most 0.994000" in error.message


@pytest.mark.parametrize("count", [0, 1, 8])
def test_quantiles_need_two_to_seven_pairs(count):
    pairs = [[(j + 1) / 10, (j + 1) / 10] for j in range(count)]
    raises_named("quantiles", None, scoring.cdf_from_quantiles, pairs, UNIT)


# The components input ------------------------------------------------------------


def sigmoid(z):
    return 1 / (1 + math.exp(-z))


def test_one_logistic_component_on_a_closed_range():
    # Centre 0.5, spread 0.1: G_s(u) = (σ(10u − 5) − σ(−5))/(σ(5) − σ(−5)),
    # F_i = 50·i + round(990000·G_s(u_i)). At u = 0.5, G_s = ½: F_100 = 500000.
    # At u = 0.6: (0.7310586 − 0.0066929)/(0.9933071 − 0.0066929) = 0.7341934,
    # F_120 = 6000 + round(990000·0.7341934) = 6000 + 726851 = 732851.
    cdf = scoring.cdf_from_components(
        [{"center": 0.5, "spread": 0.1, "weight": 1.0}], UNIT
    )

    g = (sigmoid(1) - sigmoid(-5)) / (sigmoid(5) - sigmoid(-5))
    assert g == pytest.approx(0.7341934)
    assert cdf[[0, 100, 120, 200]].tolist() == [0, 500000, 732851, 1000000]


def test_a_component_centre_is_given_in_the_questions_unit():
    # On 1 … 10000 (log), a centre of 100 is u = 0.5: the same CDF as centre
    # 0.5 on the unit range, so F_100 = 500000 and F_120 = 732851 as above.
    axis = ContinuousAxis(1.0, 10000.0, log=True)

    cdf = scoring.cdf_from_components(
        [{"center": 100.0, "spread": 0.1, "weight": 1.0}], axis
    )

    assert cdf[[100, 120]].tolist() == [500000, 732851]


def test_open_upper_bound_keeps_the_mixtures_mass_beyond_it():
    # Centred on the maximum: G(1) = σ(0) = ½, so about half lies above.
    # F_200 = 0.01 + 0.989·G(1) = 0.01 + 0.4945 = 0.5045 (lower bound closed).
    axis = ContinuousAxis(0.0, 1.0, open_upper=True)

    cdf = scoring.cdf_from_components(
        [{"center": 1.0, "spread": 0.05, "weight": 2.0}], axis
    )

    assert cdf[200] == 504500
    assert cdf[0] == 0


def test_component_weights_are_normalised():
    # Weights 1 and 3 act as ¼ and ¾: the same CDF as 0.25 and 0.75.
    a = [{"center": 0.3, "spread": 0.05, "weight": 1}]
    b = [{"center": 0.7, "spread": 0.1, "weight": 3}]
    c = [{"center": 0.3, "spread": 0.05, "weight": 0.25}]
    d = [{"center": 0.7, "spread": 0.1, "weight": 0.75}]

    left = scoring.cdf_from_components(a + b, UNIT)
    right = scoring.cdf_from_components(c + d, UNIT)

    assert left.tolist() == right.tolist()


EXTREMES = [
    (0.5, 1e-12),  # a step at the centre, sharper than the grid
    (0.5, 1e12),  # flat as a board
    (0.5, 5e-324),  # the smallest positive double
    (0.5, 1e308),
    (1e300, 0.1),  # far above the range
    (-1e300, 0.1),  # far below
    (3.0, 1e-6),  # above the range, and sharp: e^−2000000 at the maximum
    (-2.0, 1e-6),
    (0.0, 1e-9),  # on the minimum
    (1.0, 1e-9),  # on the maximum
]


@pytest.mark.parametrize(("center", "spread"), EXTREMES)
@pytest.mark.parametrize(("open_lower", "open_upper"), [(0, 0), (0, 1), (1, 0), (1, 1)])
def test_extreme_components_still_give_a_valid_cdf(
    center, spread, open_lower, open_upper
):
    axis = ContinuousAxis(0.0, 1.0, open_lower=open_lower, open_upper=open_upper)
    components = [{"center": center, "spread": spread, "weight": 1.0}]

    cdf = scoring.cdf_from_components(components, axis)

    scoring.validate_cdf(cdf, bool(open_lower), bool(open_upper))


def test_components_far_above_an_open_range_put_the_mass_above():
    # σ((1 − 3)/10⁻⁶) ≈ 0 at the maximum: F_200 = 0.001 + 0.01 + 0.988·0.
    cdf = scoring.cdf_from_components(
        [{"center": 3.0, "spread": 1e-6, "weight": 1.0}], OPEN
    )

    assert cdf[[0, 200]].tolist() == [1000, 11000]


def test_a_sharp_component_outside_a_closed_range_piles_mass_at_the_near_end():
    # Conditional on the range, σ((u − 3)/0.1) rises like e^{10u}: the last
    # cell holds (1 − e^{−0.05})/(1 − e^{−10}) = 4.877% of the mixture's rise.
    cdf = scoring.cdf_from_components(
        [{"center": 3.0, "spread": 0.1, "weight": 1.0}], UNIT
    )

    share = (1 - math.exp(-0.05)) / (1 - math.exp(-10))
    assert cdf[200] - cdf[199] == pytest.approx(50 + 990000 * share, abs=2)


@pytest.mark.parametrize(
    ("components", "index", "words"),
    [
        ([], None, "1 to 3"),
        ([{"center": 0.5, "spread": 0.1, "weight": 1}] * 4, None, "1 to 3"),
        ([{"center": 0.5, "spread": 0.0, "weight": 1}], 0, "above 0"),
        (
            [
                {"center": 0.5, "spread": 0.1, "weight": 1},
                {"center": 0.5, "spread": 0.1, "weight": -1},
            ],
            1,
            "above 0",
        ),
        ([{"center": 0.5, "spread": 0.1}], 0, "needs a center"),
        ([{"center": "soon", "spread": 0.1, "weight": 1}], 0, "needs a center"),
        ([{"center": math.inf, "spread": 0.1, "weight": 1}], 0, "numbers"),
        (["0.5"], 0, "needs a center"),
    ],
)
def test_bad_components_are_refused_naming_the_component(components, index, words):
    error = raises_named(
        "components", index, scoring.cdf_from_components, components, UNIT
    )
    assert words in error.message


def test_a_component_centre_must_be_positive_on_a_log_scale():
    axis = ContinuousAxis(1.0, 1000.0, log=True)
    components = [{"center": 0.0, "spread": 0.1, "weight": 1}]

    raises_named("components", 0, scoring.cdf_from_components, components, axis)


# The community forecast and quantiles of a CDF ---------------------------------


def test_community_of_two_forecasters_is_their_plain_mean():
    # N ≤ 2: equal weights. (0.1 + 0.4·0.3/… ) point by point: (F + G)/2.
    community = scoring.continuous_community(np.stack([UNIFORM, open_cdf()]))

    # At u = 0.5: (0.5 + 0.1 + 0.004·100)/2 = (0.5 + 0.5)/2 = 0.5; at 0: 0.05.
    assert community[[0, 100, 200]] == pytest.approx([0.05, 0.5, 0.95])


def test_community_weights_newer_forecasters_more():
    # Weights exp(1 − √3), exp(√2 − √3), 1 = 0.4809217, 0.7277212, 1 (sum
    # 2.2086429). F_100 of 0.5, 0.5, and a third CDF with F_100 = 0.8:
    # (0.4809217·0.5 + 0.7277212·0.5 + 0.8)/2.2086429 = 1.4043215/2.2086429.
    third = np.concatenate((GRID[:101] * 1.6, 0.8 + (GRID[101:] - 0.5) * 0.4))

    community = scoring.continuous_community(np.stack([UNIFORM, UNIFORM, third]))

    assert community[100] == pytest.approx(1.4043215 / 2.2086429)


def test_community_series_holds_the_standing_cdfs_at_each_boundary():
    # User 1 forecasts uniform at t = 0 and the open CDF at t = 20; user 2
    # forecasts the open CDF at t = 5. Boundaries 1, 10, 30.
    times = [0.0, 5.0, 20.0]
    users = [1, 2, 1]
    cdfs = np.stack([UNIFORM, open_cdf(), open_cdf()])

    series, forecasters = scoring.continuous_community_series(
        times, users, cdfs, [1.0, 10.0, 30.0]
    )

    assert forecasters.tolist() == [1, 2, 2]
    assert series[0] == pytest.approx(UNIFORM)
    assert series[1] == pytest.approx((UNIFORM + open_cdf()) / 2)
    assert series[2] == pytest.approx(open_cdf())


def test_quantiles_of_the_uniform_cdf_are_the_levels():
    axis = ContinuousAxis(0.0, 100.0)

    u, x = scoring.cdf_quantiles(UNIFORM, axis)

    assert u == pytest.approx([0.05, 0.25, 0.5, 0.75, 0.95])
    assert x == pytest.approx([5.0, 25.0, 50.0, 75.0, 95.0])


def test_quantiles_on_a_log_scale_are_read_in_the_questions_unit():
    axis = ContinuousAxis(1.0, 10000.0, log=True)

    _, x = scoring.cdf_quantiles(UNIFORM, axis, [0.25, 0.5, 0.75])

    # u = ¼, ½, ¾ of four decades: 10, 100, 1000.
    assert x == pytest.approx([10.0, 100.0, 1000.0])


def test_quantiles_in_the_mass_beyond_an_open_bound_are_infinite():
    # F_0 = 0.1 and F_200 = 0.9: the 5% and 95% quantiles lie outside.
    # The 25% one: 0.1 + 0.004·i = 0.25 at i = 37.5, u = 0.1875.
    u, x = scoring.cdf_quantiles(open_cdf(), OPEN)

    assert u.tolist()[0] == -math.inf
    assert u.tolist()[-1] == math.inf
    assert x.tolist()[0] == -math.inf
    assert u[1:4] == pytest.approx([0.1875, 0.5, 0.8125])


# PIT calibration -----------------------------------------------------------------


def test_pit_values_read_the_cdf_at_the_outcome_and_halve_the_tails():
    rows = np.stack([UNIFORM, open_cdf(), open_cdf(), open_cdf()])
    outcomes = [0.3, -math.inf, math.inf, 0.5]

    pits = scoring.pit_values(rows, outcomes)

    # F(0.3) = 0.3; F_0/2 = 0.05; 0.9 + 0.1/2 = 0.95; 0.1 + 0.004·100 = 0.5.
    assert pits == pytest.approx([0.3, 0.05, 0.95, 0.5])


def test_pit_histogram_bins_and_coverage():
    pits = [0.0, 0.1, 0.25, 0.5, 0.75, 0.95, 1.0]

    result = scoring.pit_calibration(pits)

    # Bins [i/10, (i+1)/10), the last closed: 0 | 0.1 | 0.25 | 0.5 | 0.75 | 0.95, 1.
    assert [b.count for b in result.bins] == [1, 1, 1, 0, 0, 1, 0, 1, 0, 2]
    assert (result.bins[9].lower, result.bins[9].upper) == (0.9, 1.0)
    # 0.25 ≤ PIT ≤ 0.75: 0.25, 0.5, 0.75. 0.05 ≤ PIT ≤ 0.95: five of seven.
    assert result.n == 7
    assert result.coverage_50 == pytest.approx(3 / 7)
    assert result.coverage_90 == pytest.approx(5 / 7)


def test_outcomes_spread_like_the_forecast_give_a_flat_pit_histogram():
    # Outcomes at the forecast's own 6%, 16%, …, 96% quantiles: PIT values
    # 0.06 … 0.96, one per bin; 0.26 … 0.66 (five of ten) lie in [0.25, 0.75]
    # and 0.06 … 0.86 (nine) in [0.05, 0.95]: coverage 0.5 and 0.9 as claimed.
    forecast = np.concatenate((GRID[:101] * 1.6, 0.8 + (GRID[101:] - 0.5) * 0.4))
    levels = np.arange(10) / 10 + 0.06
    u, _ = scoring.cdf_quantiles(forecast, UNIT, levels)

    pits = scoring.pit_values(np.tile(forecast, (10, 1)), u)
    result = scoring.pit_calibration(pits)

    assert pits == pytest.approx(levels)
    assert [b.count for b in result.bins] == [1] * 10
    assert result.coverage_50 == pytest.approx(0.5)
    assert result.coverage_90 == pytest.approx(0.9)


def test_pit_calibration_of_nothing_has_no_coverage():
    result = scoring.pit_calibration([])

    assert result.n == 0
    assert result.coverage_50 is None
    assert [b.count for b in result.bins] == [0] * 10


# Properties ----------------------------------------------------------------------


@st.composite
def cdfs(draw, open_lower=None, open_upper=None):
    """Draw a valid float CDF: random bucket masses, some peaked, some flat."""
    lower = draw(st.booleans()) if open_lower is None else open_lower
    upper = draw(st.booleans()) if open_upper is None else open_upper
    raw = np.asarray(draw(st.lists(st.floats(0.0, 1.0), min_size=202, max_size=202)))
    sharpness = draw(st.sampled_from([1, 4, 16]))
    weights = raw**sharpness + 1e-9
    inner = weights[1:201] / weights.sum()
    tails = np.array([weights[0], weights[201]]) / weights.sum()
    below = 0.001 + 0.5 * tails[0] if lower else 0.0
    above = 0.001 + 0.5 * tails[1] if upper else 0.0
    steps = 0.00005 + (1 - below - above - 0.01) * inner / inner.sum()
    return np.concatenate(([below], below + np.cumsum(steps)))


outcomes = st.one_of(
    st.floats(-0.2, 1.2),
    st.sampled_from([-math.inf, math.inf, 0.0, 1.0, 0.25]),
    st.integers(0, 200).map(lambda i: i / 200),
)


@given(cdfs(), outcomes)
def test_crps_matches_an_exact_rational_integration(cdf, outcome):
    exact = float(fraction_crps(cdf, outcome))

    assert scoring.crps(cdf, outcome) == pytest.approx(exact, abs=1e-12)
    assert 0.0 <= scoring.crps(cdf, outcome) <= 1.0


@given(cdfs(), outcomes)
def test_crps_matches_fine_midpoint_sums(cdf, outcome):
    assert scoring.crps(cdf, outcome) == pytest.approx(
        midpoint_crps(cdf, outcome), abs=1e-9
    )


def test_the_sharpest_cdf_matches_both_references():
    cdf = scoring.cdf_floats(sharpest_cdf())

    assert float(fraction_crps(cdf, 0.5)) == pytest.approx(8.4975083333e-4)
    assert scoring.crps(cdf, 0.5) == pytest.approx(midpoint_crps(cdf, 0.5), abs=1e-9)


@given(cdfs(), st.floats(0.0, 1.0))
def test_brier_is_the_mean_binary_brier_over_thresholds(cdf, outcome):
    # Midpoint thresholds t on each side of the outcome; at each, the binary
    # forecast [P(X > t), P(X ≤ t)] is scored by the categorical Brier (0…2):
    # "X ≤ t" is false below the outcome (option 0) and true above (option 1).
    total = 0.0
    for low, high, happened in ((0.0, outcome, 0), (outcome, 1.0, 1)):
        width = (high - low) / 20000
        f = np.interp(low + (np.arange(20000) + 0.5) * width, GRID, cdf)
        binary = np.stack([1 - f, f], axis=1)
        total += width * scoring.brier_many(binary, happened).sum()

    assert scoring.continuous_brier(cdf, outcome) == pytest.approx(total, abs=1e-7)
    assert scoring.continuous_brier(cdf, outcome) == pytest.approx(
        2 * scoring.crps(cdf, outcome)
    )


def expected_crps(reports, belief):
    """Return E[crps(F, Y)] for each report F, Y ~ belief uniform within each cell.

    Beyond the range Y sits at u = ±inf. Inside cell k, crps(F, y) is quadratic
    in y (its derivative 2F(y) − 1 is linear), so Simpson's rule is exact.
    """
    masses = scoring.pmf(belief)
    total = masses[0] * scoring.crps_many(reports, -math.inf)
    total += masses[201] * scoring.crps_many(reports, math.inf)
    for k in range(1, 201):
        a, b = (k - 1) / 200, k / 200
        ends = [scoring.crps_many(reports, y) for y in (a, (a + b) / 2, b)]
        total += masses[k] * (ends[0] + 4 * ends[1] + ends[2]) / 6
    return total


@settings(max_examples=40)
@given(st.data(), st.booleans(), st.booleans())
def test_crps_is_proper_under_a_discretised_belief(data, lower, upper):
    belief = data.draw(cdfs(lower, upper))
    report = data.draw(cdfs(lower, upper))
    mix = data.draw(st.floats(0.0, 1.0))
    nearby = (1 - mix) * belief + mix * report

    honest, *others = expected_crps(np.stack([belief, report, nearby]), belief)

    for other, expected in zip((report, nearby), others, strict=True):
        # E[crps(F)] − E[crps(G)] = ∫₀¹ (F − G)² du ≥ 0.
        gap = float(fraction_square_integral(other - belief))
        assert expected - honest == pytest.approx(gap, abs=1e-9)
        assert expected >= honest - 1e-12


@given(st.data(), outcomes, st.floats(0.0, 1.0))
def test_crps_of_a_mixture_is_at_most_the_mixture_of_crps(data, outcome, weight):
    lower, upper = data.draw(st.booleans()), data.draw(st.booleans())
    a = data.draw(cdfs(lower, upper))
    b = data.draw(cdfs(lower, upper))

    mixed = scoring.crps(weight * a + (1 - weight) * b, outcome)

    separate = weight * scoring.crps(a, outcome) + (1 - weight) * scoring.crps(
        b, outcome
    )
    assert mixed <= separate + 1e-12


@st.composite
def stored_cdfs(draw, open_lower, open_upper):
    """Draw a valid stored CDF in millionths, steps of 50 plus random shares."""
    raw = draw(st.lists(st.integers(0, 1000), min_size=202, max_size=202))
    shares = np.asarray(raw, dtype=np.int64) ** draw(st.sampled_from([1, 3]))
    start = 1000 + 100 * raw[0] if open_lower else 0
    end = 999000 - 100 * raw[201] if open_upper else 1000000
    free = end - start - 200 * 50
    cumulative = np.cumsum(shares[1:201])
    inner = free * cumulative // max(int(cumulative[-1]), 1)
    inner[-1] = free
    return np.concatenate(([start], start + 50 * np.arange(1, 201) + inner))


@given(st.data(), st.booleans(), st.booleans())
def test_the_community_of_valid_cdfs_keeps_every_rule(data, lower, upper):
    rows = data.draw(st.lists(stored_cdfs(lower, upper), min_size=1, max_size=8))
    for row in rows:
        scoring.validate_cdf(row, lower, upper)

    community = scoring.continuous_community(scoring.cdf_floats(np.stack(rows)))

    # The mean keeps the rules exactly; floats only within 10⁻¹², so it is
    # stored as floats, not rounded to millionths (which can make 49).
    assert np.diff(community).min() >= 0.00005 - 1e-12
    assert community[0] >= 0.001 - 1e-12 if lower else community[0] == 0.0
    assert community[-1] <= 0.999 + 1e-12 if upper else community[-1] == 1.0


@given(cdfs(), st.lists(st.floats(0.01, 0.99), min_size=1, max_size=5))
def test_cdf_quantiles_invert_the_cdf(cdf, levels):
    u, _ = scoring.cdf_quantiles(cdf, UNIT, levels)

    for p, q in zip(levels, u, strict=True):
        if p < cdf[0]:
            assert q == -math.inf
        elif p > cdf[-1]:
            assert q == math.inf
        else:
            assert np.interp(q, GRID, cdf) == pytest.approx(p, abs=1e-12)


@st.composite
def axes(draw):
    """Draw a linear or log axis with any bounds."""
    log = draw(st.booleans())
    low = draw(st.floats(0.001, 1000.0)) if log else draw(st.floats(-1e6, 1e6))
    width = draw(st.floats(0.01, 1e6))
    high = low * (1 + width) if log else low + width
    return ContinuousAxis(low, high, log, draw(st.booleans()), draw(st.booleans()))


component = st.fixed_dictionaries(
    {
        "center": st.floats(-5.0, 6.0),  # on the scaled axis, mapped to x below
        "spread": st.floats(-12, 12).map(lambda e: 10.0**e),
        "weight": st.floats(-6, 6).map(lambda e: 10.0**e),
    }
)


@given(axes(), st.lists(component, min_size=1, max_size=3))
def test_every_component_input_gives_a_valid_cdf(axis, components):
    for c in components:
        c["center"] = float(axis.from_unit(c["center"]))
        assume(math.isfinite(c["center"]) and (c["center"] > 0 or not axis.log))

    cdf = scoring.cdf_from_components(components, axis)

    scoring.validate_cdf(cdf, axis.open_lower, axis.open_upper)


@st.composite
def quantile_sets(draw, spaced):
    """Draw 2–7 points in u with p rising at least 0.011 per unit of u.

    spaced: consecutive points at least two grid cells apart, away from the ends.
    """
    n = draw(st.integers(2, 7))
    if spaced:
        cells = sorted(draw(st.sets(st.integers(2, 96), min_size=n, max_size=n)))
        u = [2 * c / 200 + draw(st.floats(0.0, 0.0049)) for c in cells]
    else:
        u = sorted(draw(st.sets(st.floats(0.0, 1.0), min_size=n, max_size=n)))
    gaps = [draw(st.floats(0.0, 1.0)) for _ in range(n + 1)]
    room = 1 - 0.011 * (1 - 0) - 0.002
    p, level = [], 0.001
    for j, uj in enumerate(u):
        level = max(level, 0.001 + 0.011 * uj) + gaps[j] * room / (n + 1)
        p.append(level)
    assume(p[-1] + 0.011 * (1 - u[-1]) < 0.998 and np.all(np.diff(p) > 0))
    return [[pj, uj] for pj, uj in zip(p, u, strict=True)]


@given(quantile_sets(spaced=True), st.booleans(), st.booleans())
def test_spaced_quantiles_always_give_a_cdf_through_every_point(pairs, lower, upper):
    axis = ContinuousAxis(0.0, 1.0, open_lower=lower, open_upper=upper)
    assume(all(_rises_enough(pairs, axis)))

    cdf = scoring.cdf_from_quantiles(pairs, axis)

    scoring.validate_cdf(cdf, lower, upper)
    assert passes_near(cdf, pairs, axis)


def _rises_enough(pairs, axis):
    """Yield whether each segment, tails included, rises at least 0.011 per unit."""
    floor = 0.001 if axis.open_lower else 0.0
    ceiling = 0.999 if axis.open_upper else 1.0
    knots = [[floor, 0.0], *pairs, [ceiling, 1.0]]
    for (p0, u0), (p1, u1) in zip(knots, knots[1:], strict=False):
        yield p1 - p0 >= 0.011 * (u1 - u0)


@given(quantile_sets(spaced=False), st.booleans(), st.booleans())
def test_any_quantiles_give_a_cdf_through_them_or_name_a_pair(pairs, lower, upper):
    axis = ContinuousAxis(0.0, 1.0, open_lower=lower, open_upper=upper)
    try:
        cdf = scoring.cdf_from_quantiles(pairs, axis)
    except ContinuousInputError as error:
        assert error.field == "quantiles"
        assert 0 <= error.index < len(pairs)
        assert f"quantiles[{error.index}]" in error.message
        return
    scoring.validate_cdf(cdf, lower, upper)
    assert passes_near(cdf, pairs, axis)
