"""Hand-checked numbers and properties of the pure scoring engine."""

import math
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from forecasts import scoring

Z2 = 1.959964**2  # 3.8414589 = z² of the 95% Wilson interval
YES, NO = 1, 0


def binary(p_yes):
    """Return the binary vector [P(no), P(yes)]."""
    return [1.0 - p_yes, p_yes]


# Brier -------------------------------------------------------------------------
# Brier (1950), "Verification of forecasts expressed in terms of probability",
# Monthly Weather Review 78(1):1-3, defines P = (1/n) Σ_j Σ_i (f_ij − E_ij)² over
# all r classes, which is 0 for a perfect forecast and 2 at worst.


@pytest.mark.parametrize(
    ("p", "outcome", "expected"),
    [
        (binary(0.7), YES, 0.18),  # (0.3 − 0)² + (0.7 − 1)² = 2·0.09
        (binary(0.7), NO, 0.98),  # (0.3 − 1)² + 0.7² = 2·0.49
        (binary(0.5), YES, 0.5),  # 2·0.5²
        (binary(1.0), YES, 0.0),  # certain and right
        (binary(1.0), NO, 2.0),  # certain and wrong: the maximum
        ([0.5, 0.3, 0.2], 1, 0.78),  # 0.5² + 0.7² + 0.2² = 0.25 + 0.49 + 0.04
        ([0.5, 0.3, 0.2], 0, 0.38),  # 0.5² + 0.3² + 0.2² = 0.25 + 0.09 + 0.04
        ([0.25] * 4, 2, 0.75),  # 3·0.0625 + 0.75² = 0.1875 + 0.5625
    ],
)
def test_brier_matches_hand_computation(p, outcome, expected):
    assert scoring.brier(p, outcome) == pytest.approx(expected)


def test_brier_many_scores_each_row_like_brier():
    rows = [binary(0.7), binary(0.2), binary(0.5)]

    scores = scoring.brier_many(rows, YES)

    # 2·0.3², 2·0.8², 2·0.5²
    assert scores == pytest.approx([0.18, 1.28, 0.5])


def test_brier_many_takes_one_outcome_per_row():
    rows = [binary(0.7), binary(0.2), [0.5, 0.3, 0.2]]

    scores = scoring.brier_many(np.array(rows[:2]), np.array([1, 0]))
    three = scoring.brier_many([rows[2]], np.array([2]))

    # Yes at 70%: 2·0.3²; No at 20% yes: 2·0.2²; 0.5² + 0.3² + (0.2 − 1)².
    assert scores == pytest.approx([0.18, 0.08])
    assert three == pytest.approx([0.25 + 0.09 + 0.64])


def test_brier_many_equals_the_sum_of_squares_for_every_option_count():
    # The K = 2 shortcut 2·(p_yes − o_yes)² and the K > 2 column passes
    # against Σ_k (p_k − o_k)² written out with a one-hot outcome.
    rng = np.random.default_rng(7)
    for k in (2, 3, 5):
        rows = rng.dirichlet(np.ones(k), size=400)
        outcomes = rng.integers(0, k, size=400)
        one_hot = np.eye(k)[outcomes]
        expected = ((rows - one_hot) ** 2).sum(axis=1)
        assert np.abs(scoring.brier_many(rows, outcomes) - expected).max() < 1e-12
        for outcome in range(k):
            by_hand = ((rows - np.eye(k)[outcome]) ** 2).sum(axis=1)
            shared = scoring.brier_many(rows, outcome)
            assert np.abs(shared - by_hand).max() < 1e-12


# Ranked probability score ------------------------------------------------------
# Definition from Epstein (1969), "A scoring system for probability forecasts of
# ranked categories", J. Appl. Meteor. 8:985-987, in the normalised form of
# Murphy (1971), J. Appl. Meteor. 10:155-156: (1/(K−1)) Σ_{k<K} (P_k − O_k)².


@pytest.mark.parametrize(
    ("p", "outcome", "expected"),
    [
        ([1.0, 0.0, 0.0], 0, 0.0),  # perfect
        ([0.0, 0.0, 1.0], 0, 1.0),  # cumulative (0, 0) vs (1, 1): (1 + 1)/2
        ([0.9, 0.1, 0.0], 0, 0.005),  # (0.9, 1.0) vs (1, 1): (0.01 + 0)/2
        ([0.8, 0.1, 0.1], 0, 0.025),  # (0.8, 0.9) vs (1, 1): (0.04 + 0.01)/2
        ([0.5, 0.25, 0.25], 0, 0.15625),  # (0.5, 0.75): (0.25 + 0.0625)/2
        ([0.35, 0.3, 0.35], 0, 0.2725),  # (0.35, 0.65): (0.4225 + 0.1225)/2
        ([0.6, 0.3, 0.1], 1, 0.185),  # (0.6, 0.9) vs (0, 1): (0.36 + 0.01)/2
        ([0.2, 0.5, 0.3], 1, 0.065),  # (0.2, 0.7) vs (0, 1): (0.04 + 0.09)/2
        (binary(0.7), YES, 0.09),  # K = 2 is half the Brier score: 0.3²
    ],
)
def test_rps_matches_hand_computation(p, outcome, expected):
    assert scoring.ranked_probability_score(p, outcome) == pytest.approx(expected)


def test_rps_rewards_near_misses_on_ordered_options():
    near = scoring.ranked_probability_score([0.0, 1.0, 0.0], 0)
    far = scoring.ranked_probability_score([0.0, 0.0, 1.0], 0)

    assert near == pytest.approx(0.5)  # (0, 1) vs (1, 1): 1/2
    assert far == pytest.approx(1.0)


def test_rps_many_scores_each_row():
    rows = [[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.0, 0.0, 1.0]]

    assert scoring.ranked_probability_score_many(rows, 0) == pytest.approx(
        [0.0, 0.005, 1.0]
    )


# Log, baseline and peer scores -------------------------------------------------


@pytest.mark.parametrize(
    ("p", "outcome", "expected"),
    [
        (binary(0.7), YES, math.log(0.7)),  # −0.3566749
        (binary(0.7), NO, math.log(0.3)),
        (binary(1.0), YES, 0.0),
        ([0.2, 0.5, 0.3], 2, math.log(0.3)),
    ],
)
def test_log_score_is_log_of_probability_on_outcome(p, outcome, expected):
    assert scoring.log_score(p, outcome) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("p", "outcome", "expected"),
    [
        (binary(0.5), YES, 0.0),  # 100·ln(2·0.5)/ln 2 = 0
        (binary(1.0), YES, 100.0),  # 100·ln 2/ln 2
        (binary(0.75), NO, -100.0),  # 100·ln(2·0.25)/ln 2 = 100·(−ln 2)/ln 2
        (binary(0.7), YES, 48.542683),  # 100·ln 1.4/ln 2 = 100·0.336472/0.693147
        ([0.25] * 4, 0, 0.0),  # 100·ln(4·0.25)/ln 4
        ([1 / 16, 0.5, 0.25, 0.1875], 0, -100.0),  # 100·ln(4/16)/ln 4
        ([1 / 9, 4 / 9, 4 / 9], 0, -100.0),  # 100·ln(3/9)/ln 3
    ],
)
def test_baseline_score_matches_hand_computation(p, outcome, expected):
    assert scoring.baseline_score(p, outcome) == pytest.approx(expected)


def test_peer_scores_of_two_forecasters_are_opposite():
    # ln p = (−1, −3), mean −2, n/(n−1) = 2: 200·(+1) and 200·(−1).
    peers = scoring.peer_scores([math.exp(-1), math.exp(-3)])

    assert peers == pytest.approx([200.0, -200.0])


def test_peer_scores_of_three_forecasters():
    # Geometric mean g = 0.08^(1/3); 150·ln(p/g) = 50·ln(p³/0.08):
    # 50·ln 6.4 = 92.8149, 50·ln 1.5625 = 22.3144, 50·ln 0.1 = −115.1293.
    peers = scoring.peer_scores([0.8, 0.5, 0.2])

    assert peers == pytest.approx([92.81490, 22.31436, -115.12925])
    assert peers.sum() == pytest.approx(0.0, abs=1e-9)


def test_peer_score_of_a_lone_forecaster_is_nan():
    peers = scoring.peer_scores([0.7])

    assert peers.shape == (1,)
    assert np.isnan(peers[0])


# Recency weights and weighted median -------------------------------------------


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, [1.0]),
        (2, [1.0, 1.0]),
        # exp(1 − √3), exp(√2 − √3), exp(0)
        (3, [0.4809217, 0.7277212, 1.0]),
        # exp(1 − 2), exp(√2 − 2), exp(√3 − 2), exp(0)
        (4, [0.3678794, 0.5566679, 0.7649466, 1.0]),
    ],
)
def test_recency_weights(n, expected):
    assert scoring.recency_weights(n) == pytest.approx(expected, rel=1e-6)


def test_recency_weights_favour_newer_forecasters():
    weights = scoring.recency_weights(10)

    assert np.all(np.diff(weights) > 0)
    assert weights[-1] == 1.0


@pytest.mark.parametrize(
    ("values", "weights", "expected"),
    [
        ([0.2, 0.6], [1, 1], 0.4),  # cumulative (1, 2), half 1: L=0, R=1
        ([0.1, 0.5, 0.9], [1, 1, 1], 0.5),  # (1, 2, 3), half 1.5: L=R=1
        ([0.9, 0.1, 0.5], [1, 1, 1], 0.5),  # unsorted input is sorted first
        ([0.1, 0.2, 0.3, 0.4], [1, 1, 1, 1], 0.25),  # half 2: L=1, R=2
        ([0.3, 0.3, 0.7, 0.7], [1, 1, 1, 1], 0.5),  # ties either side of half
        ([0.3, 0.3, 0.3, 0.7], [1, 1, 1, 1], 0.3),  # L=1, R=2 are both 0.3
        ([0.1, 0.9], [1, 3], 0.9),  # (1, 4), half 2: L=R=1
        ([0.2, 0.4, 0.8], [1, 1, 2], 0.6),  # (1, 2, 4), half 2: L=1, R=2
        ([0.7], [0.3], 0.7),
    ],
)
def test_weighted_median(values, weights, expected):
    assert scoring.weighted_median(values, weights) == pytest.approx(expected)


# Community forecast ------------------------------------------------------------


def test_community_forecast_of_two_binary_forecasters_is_their_mean():
    # N = 2 has equal weights, so the median is the mean of the two.
    community = scoring.community_forecast([binary(0.2), binary(0.6)], binary=True)

    assert community == pytest.approx([0.6, 0.4])


def test_community_forecast_binary_leans_to_recent_forecasters():
    # Weights oldest→newest 0.3679, 0.5567, 0.7649, 1 (total 2.6895, half
    # 1.3448); P(yes) 0.1, 0.2, 0.8, 0.9 already sorted, cumulative 0.3679,
    # 0.9246, 1.6895: L=R=2, median 0.8 (the unweighted median is 0.5).
    vectors = [binary(0.1), binary(0.2), binary(0.8), binary(0.9)]

    community = scoring.community_forecast(vectors, binary=True)

    assert community == pytest.approx([0.2, 0.8])


def test_community_forecast_multiple_choice_is_floored_mean_for_two():
    # Medians of two equal weights: (0.4, 0.25, 0.35), summing to 1;
    # 0.001 + 0.997·q = (0.3998, 0.25025, 0.34995).
    vectors = [[0.6, 0.3, 0.1], [0.2, 0.2, 0.6]]

    community = scoring.community_forecast(vectors, binary=False)

    assert community == pytest.approx([0.3998, 0.25025, 0.34995])
    assert community.sum() == pytest.approx(1.0)


def test_community_forecast_multiple_choice_renormalises_medians():
    # Weights 0.4809, 0.7277, 1 (half 1.1043). Each option's values sort as
    # 0.2, 0.2, 0.6 and the first two already weigh ≥ 1.2086, so every
    # median is 0.2; they sum to 0.6 and renormalise to thirds.
    vectors = [[0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.2, 0.2, 0.6]]

    community = scoring.community_forecast(vectors, binary=False)

    assert community == pytest.approx([1 / 3, 1 / 3, 1 / 3])


def test_community_forecast_multiple_choice_floors_options_nobody_backs():
    # One forecaster: q = (0.5, 0.5, 0) → 0.001 + 0.997·q.
    community = scoring.community_forecast([[0.5, 0.5, 0.0]], binary=False)

    assert community == pytest.approx([0.4995, 0.4995, 0.001])


def test_community_forecast_falls_back_to_uniform_when_all_medians_are_zero():
    # Three certain forecasters on different options: every median is 0.
    vectors = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]

    community = scoring.community_forecast(vectors, binary=False)

    assert community == pytest.approx([1 / 3, 1 / 3, 1 / 3])


# Community boundaries and series -----------------------------------------------


@pytest.mark.parametrize(
    ("first", "end", "step", "expected"),
    [
        (100.0, 400.0, 100.0, [200.0, 300.0]),  # both ends are excluded
        (150.0, 401.0, 100.0, [200.0, 300.0, 400.0]),
        (150.0, 200.0, 100.0, []),
        (150.0, 160.0, 100.0, []),
        # 1_700_000_001 s is 472222.22 h; the next hours are 472223..472225.
        (
            1_700_000_001.0,
            1_700_010_801.0,
            3600.0,
            [1_700_002_800.0, 1_700_006_400.0, 1_700_010_000.0],
        ),
    ],
)
def test_community_boundaries_are_multiples_of_step_strictly_inside(
    first, end, step, expected
):
    boundaries = scoring.community_boundaries(first, end, step)

    assert boundaries.tolist() == expected


def test_community_series_orders_forecasters_by_latest_entry():
    # Ledger: t=10 user 101 P(yes) 0.1, t=20 user 7 0.2, t=30 user 42 0.8,
    # t=40 user 3 0.9, t=50 user 101 updates to 0.15.
    # h=15: only 101 → 0.1.
    # h=45: order 101, 7, 42, 3; weights 0.3679, 0.5567, 0.7649, 1 (half
    #   1.3448); values sorted 0.1, 0.2, 0.8, 0.9 reach 1.6895 at 0.8 → 0.8.
    # h=50: the update at t=50 is not yet standing (time < h) → 0.8.
    # h=60: order 7, 42, 3, 101; sorted 0.15 (w 1), 0.2 (w 0.3679) reach
    #   1.3679 ≥ 1.3448 → 0.2. Ordered by first entry it would stay 0.8.
    times = [10, 20, 30, 40, 50]
    users = [101, 7, 42, 3, 101]
    vectors = [binary(0.1), binary(0.2), binary(0.8), binary(0.9), binary(0.15)]

    series, forecasters = scoring.community_series(
        times, users, vectors, [15, 45, 50, 60], binary=True
    )

    assert series[:, YES] == pytest.approx([0.1, 0.8, 0.8, 0.2])
    assert series[:, NO] == pytest.approx([0.9, 0.2, 0.2, 0.8])
    assert forecasters.tolist() == [1, 4, 4, 4]


def test_community_series_is_empty_before_anyone_forecasts():
    series, forecasters = scoring.community_series(
        [10.0], [1], [binary(0.3)], [5.0, 10.0, 11.0], binary=True
    )

    assert np.isnan(series[:2]).all()
    assert series[2] == pytest.approx([0.7, 0.3])
    assert forecasters.tolist() == [0, 0, 1]


# Time-averaged and relative Brier ----------------------------------------------
# Window [0, 100), binary, resolves Yes. Ledger: t=10 user 5 P(yes) 0.9,
# t=50 user 5 0.7, t=70 user 2 0.9 (the community's value at that moment).
# Boundaries every 40 after the first entry: 40, 80. C(40) = 0.9 (only user 5);
# C(80) = mean of 0.7 and 0.9 = 0.8. brier(C) = 0.02 on [40, 80), 0.08 on
# [80, 100); C does not exist on [0, 40).
WINDOW = (0.0, 100.0)
TIMES = [10.0, 50.0, 70.0]
USERS = [5, 5, 2]
VECTORS = [binary(0.9), binary(0.7), binary(0.9)]
COMMUNITY_TIMES = [40.0, 80.0]
COMMUNITY_VECTORS = [binary(0.9), binary(0.8)]


def test_example_community_series_matches_the_rules():
    boundaries = scoring.community_boundaries(10.0, 100.0, 40.0)

    series, _ = scoring.community_series(TIMES, USERS, VECTORS, boundaries, True)

    assert boundaries.tolist() == COMMUNITY_TIMES
    assert series == pytest.approx(np.array(COMMUNITY_VECTORS))


def test_time_averaged_brier_skips_time_before_the_community_exists():
    users, averaged, relative = scoring.time_averaged_brier(
        *WINDOW, TIMES, USERS, VECTORS, COMMUNITY_TIMES, COMMUNITY_VECTORS, YES
    )

    assert users.tolist() == [2, 5]
    # User 2: waits on C over [40, 70): 30·0.02; own 0.9 over [70, 100): 30·0.02;
    # [0, 40) not counted: (0.6 + 0.6)/60 = 0.02.
    # User 5: own 0.9 over [10, 50): 40·0.02 = 0.8; 0.7 over [50, 100): 50·0.18
    # = 9; [0, 10) not counted: 9.8/90 = 0.108889.
    assert averaged == pytest.approx([0.02, 9.8 / 90])
    # Relative, over [40, 100) where C exists (60 long):
    # User 2: [40, 70) waiting → 0; [70, 80) 0.02 − 0.02 = 0; [80, 100)
    # (0.02 − 0.08)·20 = −1.2 → −0.02.
    # User 5: [40, 50) 0; [50, 80) (0.18 − 0.02)·30 = 4.8; [80, 100)
    # (0.18 − 0.08)·20 = 2 → 6.8/60 = 0.113333.
    assert relative == pytest.approx([-0.02, 6.8 / 60])


def test_waiting_and_then_copying_the_community_scores_relative_zero():
    # C = 0.9 from t=40 on (brier 0.02). User 1 copies it at t=70; user 2
    # enters at t=70 with 0.7 (brier 0.18); user 3 enters with 0.7 at t=40.
    times, users = [40.0, 70.0, 70.0], [3, 1, 2]
    vectors = [binary(0.7), binary(0.9), binary(0.7)]

    _, averaged, relative = scoring.time_averaged_brier(
        0.0, 100.0, times, users, vectors, [40.0], [binary(0.9)], YES
    )

    # User 1: 0.02 throughout [40, 100), relative 0.
    # User 2: (30·0.02 + 30·0.18)/60 = 0.1; relative 30·0.16/60 = 0.08.
    # User 3: 0.18 over [40, 100); relative 60·0.16/60 = 0.16.
    assert averaged == pytest.approx([0.02, 0.1, 0.18])
    assert relative == pytest.approx([0.0, 0.08, 0.16])


def test_relative_brier_is_nan_when_the_community_never_exists():
    _, averaged, relative = scoring.time_averaged_brier(
        0.0, 100.0, [20.0, 60.0], [1, 1], [binary(0.5), binary(1.0)], [], [], YES
    )

    # 40·0.5 + 40·0 over the 80 counted seconds [20, 100).
    assert averaged == pytest.approx([0.25])
    assert np.isnan(relative[0])


def test_same_instant_entries_keep_the_later_one_in_the_ledger():
    # Both entries at t=0; the second (P(yes) 1.0, brier 0) stands.
    _, averaged, _ = scoring.time_averaged_brier(
        0.0, 10.0, [0.0, 0.0], [1, 1], [binary(0.0), binary(1.0)], [], [], YES
    )

    assert averaged == pytest.approx([0.0])


def test_community_steps_before_the_window_start_are_clipped():
    # C = 0.5 from t=-50 (brier 0.5), 0.9 from t=50 (brier 0.02); user 1
    # forecasts 0.9 at t=80. Waiting: 50·0.5 + 30·0.02 = 25.6; own 20·0.02 = 0.4.
    _, averaged, relative = scoring.time_averaged_brier(
        0.0,
        100.0,
        [80.0],
        [1],
        [binary(0.9)],
        [-50.0, 50.0],
        [binary(0.5), binary(0.9)],
        YES,
    )

    assert averaged == pytest.approx([26.0 / 100])
    assert relative == pytest.approx([0.0])


# Market points -----------------------------------------------------------------


def test_market_points_pay_for_moving_the_market_towards_the_truth():
    # Uniform brier 0.5. User 5 moves it to 0.9 (brier 0.02): 100·(0.5 − 0.02)
    # = 48; then to 0.7 (0.18): 100·(0.02 − 0.18) = −16; user 2 back to 0.9:
    # 100·(0.18 − 0.02) = 16. User 5: 48 − 16 = 32; user 2: 16.
    users, points = scoring.market_points(USERS, VECTORS, YES, 2)

    assert users.tolist() == [2, 5]
    assert points == pytest.approx([16.0, 32.0])
    # Telescoping: 100·(brier(uniform) − brier(last)) = 100·(0.5 − 0.02).
    assert points.sum() == pytest.approx(48.0)


def test_market_points_multiple_choice_start_from_uniform():
    # Uniform over 3: (2/3)² + 2·(1/3)² = 2/3. Entry (0.5, 0.3, 0.2) on
    # outcome 0: 0.25 + 0.09 + 0.04 = 0.38 → 100·(2/3 − 0.38) = 28.6667.
    _, points = scoring.market_points([9], [[0.5, 0.3, 0.2]], 0, 3)

    assert points == pytest.approx([100 * (2 / 3 - 0.38)])


# Scoring a whole question ------------------------------------------------------


def test_score_question_aligns_every_score_by_user():
    scores = scoring.score_question(
        *WINDOW,
        TIMES,
        USERS,
        VECTORS,
        COMMUNITY_TIMES,
        COMMUNITY_VECTORS,
        YES,
        ordered=False,
    )

    # Final forecasts: user 2 → 0.9, user 5 → 0.7.
    assert scores.users.tolist() == [2, 5]
    assert scores.brier == pytest.approx([0.02, 0.18])
    assert scores.time_averaged_brier == pytest.approx([0.02, 9.8 / 90])
    assert scores.relative_brier == pytest.approx([-0.02, 6.8 / 60])
    assert scores.log_score == pytest.approx([math.log(0.9), math.log(0.7)])
    # 100·ln 1.8/ln 2 and 100·ln 1.4/ln 2
    assert scores.baseline == pytest.approx([84.799691, 48.542683])
    # 200·ln(p/√(0.9·0.7)) = ±100·ln(9/7) = ±25.131443
    assert scores.peer == pytest.approx([25.131443, -25.131443])
    assert scores.points == pytest.approx([16.0, 32.0])
    assert np.isnan(scores.rps).all()
    assert scores.entries.tolist() == [1, 2]


def test_score_question_ordered_adds_rps_of_final_forecast():
    # User 1's final forecast (0.2, 0.5, 0.3) on outcome 1: RPS 0.065 (above).
    scores = scoring.score_question(
        0.0,
        10.0,
        [1.0, 2.0],
        [1, 1],
        [[1.0, 0.0, 0.0], [0.2, 0.5, 0.3]],
        [],
        np.empty((0, 3)),
        1,
        ordered=True,
    )

    assert scores.rps == pytest.approx([0.065])
    assert scores.brier == pytest.approx([0.38])  # 0.04 + 0.25 + 0.09
    assert np.isnan(scores.peer).all()


def test_score_question_reports_the_position_of_each_final_entry():
    scores = scoring.score_question(
        *WINDOW, TIMES, USERS, VECTORS, [], np.empty((0, 2)), YES, ordered=False
    )
    # User 2's only entry is the third; user 5's last is the second.
    assert scores.final_entries.tolist() == [2, 1]


@given(st.data())
def test_entries_given_out_of_time_order_score_the_same(data):
    n = data.draw(st.integers(1, 10))
    times = data.draw(st.lists(st.integers(0, 99), min_size=n, max_size=n, unique=True))
    times = sorted(float(t) for t in times)
    users = data.draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    vectors = np.asarray(data.draw(st.lists(simplex(2), min_size=n, max_size=n)))
    shuffle = np.asarray(data.draw(st.permutations(range(n))))

    def score(order):
        return scoring.score_question(
            *WINDOW,
            np.asarray(times)[order],
            np.asarray(users)[order],
            vectors[order],
            COMMUNITY_TIMES,
            COMMUNITY_VECTORS,
            YES,
            ordered=False,
        )

    in_order, shuffled = score(np.arange(n)), score(shuffle)
    # Market points follow the ledger's order; every other score only time's.
    assert shuffled.users.tolist() == in_order.users.tolist()
    assert shuffle[shuffled.final_entries].tolist() == in_order.final_entries.tolist()
    for name in ("brier", "time_averaged_brier", "relative_brier", "entries"):
        assert getattr(shuffled, name) == pytest.approx(getattr(in_order, name))


@given(
    st.lists(st.integers(-(2**40), 2**40) | st.integers(0, 5), min_size=0, max_size=60)
)
def test_stable_order_is_numpys_stable_argsort(keys):
    keys = np.asarray(keys, dtype=np.int64)
    expected = np.argsort(keys, kind="stable")
    assert scoring.stable_order(keys).tolist() == expected.tolist()


def test_score_question_with_no_entries_is_empty():
    scores = scoring.score_question(
        0.0, 10.0, [], [], np.empty((0, 2)), [], np.empty((0, 2)), YES, ordered=False
    )

    assert scores.users.size == 0
    assert scores.brier.size == 0
    assert scores.points.size == 0


# Calibration -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probability", "bin_index"),
    [
        (0.0, 0),
        (0.0999, 0),
        (0.1, 1),
        (0.3, 3),  # the edge opens [0.3, 0.4)
        (0.35, 3),
        (0.8999, 8),
        (0.9, 9),
        (1.0, 9),  # the last bin is closed
    ],
)
def test_calibration_puts_edge_values_in_the_bin_they_open(probability, bin_index):
    result = scoring.calibration([probability], [1])

    counts = [b.count for b in result.bins]
    assert counts == [1 if i == bin_index else 0 for i in range(10)]


def test_calibration_bins_span_zero_to_one_in_tenths():
    result = scoring.calibration([0.5], [0])

    assert [(b.lower, b.upper) for b in result.bins] == [
        pytest.approx((i / 10, (i + 1) / 10)) for i in range(10)
    ]


# Newcombe (1998), "Two-sided confidence intervals for the single proportion:
# comparison of seven methods", Statistics in Medicine 17:857-872, worked
# examples for the score method without continuity correction (method 3).
@pytest.mark.parametrize(
    ("successes", "n", "low", "high"),
    [
        (81, 263, 0.2553, 0.3662),
        (15, 148, 0.0624, 0.1605),
        (0, 20, 0.0, 0.1611),
        (1, 29, 0.0061, 0.1718),
    ],
)
def test_wilson_interval_matches_newcombe(successes, n, low, high):
    interval = scoring.wilson_interval(successes, n)

    assert interval == pytest.approx((low, high), abs=5e-5)


# Six points: 0.05→0, 0.15→0, 0.15→1, 0.3→1, 0.95→1, 1.0→1 (N = 6, ō = 2/3).
CAL_PROBS = [0.05, 0.15, 0.15, 0.3, 0.95, 1.0]
CAL_OUTCOMES = [0, 0, 1, 1, 1, 1]


def test_calibration_bins_report_means_and_wilson_intervals():
    result = scoring.calibration(CAL_PROBS, CAL_OUTCOMES)
    low, second, empty, third = result.bins[:4]

    # 0/1: upper = z²/(1 + z²) = 3.841459/4.841459 = 0.793451.
    assert (low.count, low.mean_forecast, low.observed_frequency) == (1, 0.05, 0.0)
    assert (low.ci_low, low.ci_high) == pytest.approx((0.0, 0.793451), abs=1e-6)
    # 1/2: centre (0.5 + z²/4)/(1 + z²/2) = 0.5; half-width
    # z·√(0.5·0.5/2 + z²/16)/(1 + z²/2) = 1.959964·0.604227/2.920729 = 0.405469.
    assert second.count == 2
    assert second.mean_forecast == pytest.approx(0.15)
    assert second.observed_frequency == pytest.approx(0.5)
    assert (second.ci_low, second.ci_high) == pytest.approx(
        (0.094531, 0.905469), abs=1e-6
    )
    assert (empty.count, empty.mean_forecast, empty.observed_frequency) == (
        0,
        None,
        None,
    )
    assert (empty.ci_low, empty.ci_high) == (None, None)
    # 1/1 mirrors 0/1: 1 − 0.793451 = 0.206549.
    assert (third.ci_low, third.ci_high) == pytest.approx((0.206549, 1.0), abs=1e-6)
    assert result.bins[9].count == 2
    assert result.bins[9].mean_forecast == pytest.approx(0.975)


def test_calibration_murphy_terms_match_hand_computation():
    result = scoring.calibration(CAL_PROBS, CAL_OUTCOMES)

    assert result.n == 6
    # (0.0025 + 0.0225 + 0.7225 + 0.49 + 0.0025 + 0)/6 = 1.24/6
    assert result.mean_squared_error == pytest.approx(1.24 / 6)
    # Bins (n, f̄, ō): (1, .05, 0), (2, .15, .5), (1, .3, 1), (2, .975, 1):
    # (0.0025 + 2·0.1225 + 0.49 + 2·0.000625)/6 = 0.73875/6
    assert result.reliability == pytest.approx(0.73875 / 6)
    # (1·4/9 + 2·1/36 + 1·1/9 + 2·1/9)/6 = (30/36)/6 = 5/36
    assert result.resolution == pytest.approx(5 / 36)
    assert result.uncertainty == pytest.approx(2 / 9)  # (2/3)·(1/3)
    # Only the top bin has spread: 2·0.025² with o − ō = 0 → 0.00125/6.
    assert result.within_bin == pytest.approx(0.00125 / 6)
    total = (
        result.reliability - result.resolution + result.uncertainty + result.within_bin
    )
    assert total == pytest.approx(result.mean_squared_error)


def test_calibration_of_nothing_is_all_none():
    result = scoring.calibration([], [])

    assert result.n == 0
    assert result.mean_squared_error is None
    assert result.reliability is None
    assert result.resolution is None
    assert result.uncertainty is None
    assert result.within_bin is None
    assert [b.count for b in result.bins] == [0] * 10
    assert all(b.mean_forecast is None for b in result.bins)


# Properties --------------------------------------------------------------------


def simplex(k):
    """Return a strategy for probability vectors over k options."""
    raw = st.lists(st.floats(0.01, 1.0), min_size=k, max_size=k)
    return raw.map(lambda w: np.asarray(w) / np.sum(w))


weights_k = st.integers(2, 6).flatmap(simplex)


@st.composite
def belief_and_report(draw):
    """Draw two probability vectors over the same number of options."""
    belief = draw(weights_k)
    raw = draw(
        st.lists(
            st.floats(0.0, 1.0, allow_nan=False),
            min_size=belief.size,
            max_size=belief.size,
        )
    )
    assume(sum(raw) > 1e-3)
    return belief, np.asarray(raw) / np.sum(raw)


def expected_brier(report, belief):
    """Return Σ_j q_j·brier(report, j): the Brier expected under belief q."""
    return sum(q * scoring.brier(report, j) for j, q in enumerate(belief))


@given(belief_and_report())
def test_brier_is_proper(pair):
    belief, report = pair

    honest = expected_brier(belief, belief)
    other = expected_brier(report, belief)

    # E_q[brier(r)] − E_q[brier(q)] = ‖r − q‖² ≥ 0.
    assert other - honest == pytest.approx(np.sum((report - belief) ** 2), abs=1e-9)
    assert other >= honest - 1e-12


@given(weights_k, st.data())
def test_brier_and_rps_stay_in_bounds(p, data):
    outcome = data.draw(st.integers(0, p.size - 1))

    assert -1e-12 <= scoring.brier(p, outcome) <= 2.0 + 1e-12
    assert -1e-12 <= scoring.ranked_probability_score(p, outcome) <= 1.0 + 1e-12


@given(weights_k, st.data())
def test_brier_ignores_the_order_of_options(p, data):
    outcome = data.draw(st.integers(0, p.size - 1))
    permutation = np.asarray(data.draw(st.permutations(range(p.size))))

    relabelled = p[permutation]
    new_outcome = int(np.flatnonzero(permutation == outcome)[0])

    assert scoring.brier(relabelled, new_outcome) == pytest.approx(
        scoring.brier(p, outcome), abs=1e-12
    )


@given(st.lists(st.floats(0.001, 1.0), min_size=2, max_size=30))
def test_peer_scores_sum_to_zero(p_outcome):
    assert scoring.peer_scores(p_outcome).sum() == pytest.approx(0.0, abs=1e-8)


@given(
    st.lists(
        st.tuples(st.floats(0.0, 1.0, allow_nan=False), st.booleans()),
        min_size=1,
        max_size=60,
    )
)
def test_murphy_terms_add_up_to_mean_squared_error(points):
    probs, outcomes = zip(*points, strict=True)

    result = scoring.calibration(probs, [int(o) for o in outcomes])

    total = (
        result.reliability - result.resolution + result.uncertainty + result.within_bin
    )
    assert total == pytest.approx(result.mean_squared_error, abs=1e-12)
    assert sum(b.count for b in result.bins) == len(points)


@st.composite
def ledgers(draw):
    """Draw a small ledger: times non-decreasing in [0, 50], a few users."""
    k = draw(st.integers(2, 4))
    n = draw(st.integers(1, 12))
    times = sorted(draw(st.lists(st.integers(0, 50), min_size=n, max_size=n)))
    users = draw(st.lists(st.integers(0, 4), min_size=n, max_size=n))
    vectors = draw(st.lists(simplex(k), min_size=n, max_size=n))
    outcome = draw(st.integers(0, k - 1))
    return [float(t) for t in times], users, np.asarray(vectors), outcome


@given(ledgers())
def test_market_points_telescope(ledger):
    _, users, vectors, outcome = ledger
    k = vectors.shape[1]

    _, points = scoring.market_points(users, vectors, outcome, k)

    uniform = scoring.brier(np.full(k, 1 / k), outcome)
    last = scoring.brier(vectors[-1], outcome)
    assert points.sum() == pytest.approx(100 * (uniform - last), abs=1e-9)


def reference_community(times, users, vectors, boundary, binary):
    """Return the community at one boundary straight from the definition."""
    latest = {
        u: i for i, (t, u) in enumerate(zip(times, users, strict=True)) if t < boundary
    }
    positions = sorted(latest.values())
    if not positions:
        return None
    return scoring.community_forecast(vectors[positions], binary)


@given(ledgers(), st.booleans())
def test_community_series_matches_the_definition(ledger, as_binary):
    times, users, vectors, _ = ledger
    if as_binary:
        vectors = vectors[:, :2] / vectors[:, :2].sum(axis=1, keepdims=True)
    boundaries = scoring.community_boundaries(times[0], 60.0, 7.0)

    series, forecasters = scoring.community_series(
        times, users, vectors, boundaries, as_binary
    )

    for row, count, boundary in zip(series, forecasters, boundaries, strict=True):
        expected = reference_community(times, users, vectors, boundary, as_binary)
        assert count == len(
            {u for t, u in zip(times, users, strict=True) if t < boundary}
        )
        assert row == pytest.approx(expected)


def reference_time_averaged(start, end, ledger, c_times, c_vectors):
    """Return {user: (time-averaged, relative)} by walking every elementary step."""
    times, users, vectors, outcome = ledger
    cuts = sorted({start, end, *times, *(c for c in c_times if start < c < end)})
    result = {}
    for user in sorted(set(users)):
        own_num = own_den = rel_num = rel_den = 0.0
        for a, b in pairwise(cuts):
            mine = [
                i
                for i, (t, u) in enumerate(zip(times, users, strict=True))
                if u == user
            ]
            mine = [i for i in mine if times[i] <= a]
            live = [j for j, c in enumerate(c_times) if c <= a]
            community = scoring.brier(c_vectors[live[-1]], outcome) if live else None
            s = scoring.brier(vectors[mine[-1]], outcome) if mine else community
            if s is not None:
                own_num, own_den = own_num + s * (b - a), own_den + (b - a)
            if community is not None:
                rel_num, rel_den = rel_num + (s - community) * (b - a), rel_den + b - a
        relative = rel_num / rel_den if rel_den else math.nan
        result[user] = (own_num / own_den, relative)
    return result


@given(ledgers())
def test_time_averaged_brier_matches_a_step_by_step_integral(ledger):
    times, users, vectors, outcome = ledger
    binary_like = vectors.shape[1] == 2
    c_times = scoring.community_boundaries(times[0], 60.0, 7.0)
    c_vectors, _ = scoring.community_series(times, users, vectors, c_times, binary_like)

    got_users, averaged, relative = scoring.time_averaged_brier(
        0.0, 60.0, times, users, vectors, c_times, c_vectors, outcome
    )

    expected = reference_time_averaged(0.0, 60.0, ledger, list(c_times), c_vectors)
    assert got_users.tolist() == sorted(expected)
    assert averaged == pytest.approx([expected[u][0] for u in expected])
    assert relative == pytest.approx([expected[u][1] for u in expected], nan_ok=True)
