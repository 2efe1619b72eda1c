"""Time-averaged and relative Brier are exact for sub-second windows years on.

Float POSIX seconds in 2026 are rounded to about 2.4e-7 s each, so a window of
half a second measured with them is off by up to about 1e-6 relative. Scoring
integrates in integer microseconds, so the stored scores agree with an exact
rational computation to 1e-9.
"""

from datetime import UTC, datetime, timedelta
from fractions import Fraction

import numpy as np
import pytest

from forecasts import scoring
from forecasts.models import CommunityPoint, Score
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.core

OPEN = datetime(2019, 1, 1, tzinfo=UTC)
H = datetime(2026, 3, 1, 12, tzinfo=UTC)  # the one community boundary (1 s step)
CLOSE = H + timedelta(microseconds=500_000)


def at(microseconds: int) -> datetime:
    """Return H shifted by a signed number of microseconds."""
    return H + timedelta(microseconds=microseconds)


def brier_yes(p: str) -> Fraction:
    """Binary Brier when Yes happens: (1 − p)² + (0 − (1 − p))² = 2(1 − p)²."""
    return 2 * (1 - Fraction(p)) ** 2


@pytest.fixture
def sub_second(db, clock, settings, staff, django_capture_on_commit_callbacks):
    """A question open since 2019 whose every forecast is in its last 0.7 s.

    A forecasts 0.3 at H − 0.200123 s and 0.9 at H + 0.299543 s; B forecasts
    0.6 at H − 0.049999 s. The question closes at H + 0.5 s and resolves Yes.
    """
    settings.COMMUNITY_STEP_SECONDS = 1
    clock.set(OPEN)
    question = QuestionFactory(open_time=OPEN, close_time=CLOSE)
    a, b = UserFactory(), UserFactory()
    for offset, user, p in [(-200_123, a, 0.3), (-49_999, b, 0.6), (299_543, a, 0.9)]:
        clock.set(at(offset))
        submit_forecast(question=question, user=user, probability=p)
    clock.set(CLOSE + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=question, user=staff, outcome=1)
    return question, a, b


def test_sub_second_windows_are_scored_exactly(sub_second):
    question, a, b = sub_second
    # C(H) from A's 0.3 and B's 0.6: two forecasters weigh 1 each, median
    # (0.3 + 0.6)/2 = 0.45, Brier 2·0.55² = 0.605.
    point = CommunityPoint.objects.get(question=question)
    assert point.time == H and point.probabilities == pytest.approx([0.55, 0.45])
    community = brier_yes("0.45")
    # A holds 0.3 (0.98) for 499,666 µs then 0.9 (0.02) for 200,457 µs; counted
    # from A's first forecast to the close: 700,123 µs (C does not exist before).
    a_averaged = (brier_yes("0.3") * 499_666 + brier_yes("0.9") * 200_457) / 700_123
    # While C exists, [H, close) = 500,000 µs: A holds 0.3 for 299,543 µs and
    # 0.9 for 200,457 µs, against C's 0.605 throughout.
    a_relative = (
        brier_yes("0.3") * 299_543 + brier_yes("0.9") * 200_457 - community * 500_000
    ) / 500_000
    # B holds 0.6 (0.32) throughout: 0.32 averaged, 0.32 − 0.605 relative.
    b_relative = brier_yes("0.6") - community
    scores = {s.user_id: s for s in Score.objects.filter(question=question)}

    assert abs(scores[a.pk].time_averaged_brier - a_averaged) < 1e-9
    assert abs(scores[a.pk].relative_brier - a_relative) < 1e-9
    assert abs(scores[b.pk].time_averaged_brier - brier_yes("0.6")) < 1e-9
    assert abs(scores[b.pk].relative_brier - b_relative) < 1e-9


def test_windows_refuse_float_seconds():
    # Float POSIX seconds are not whole microseconds: refused, not misread.
    with pytest.raises(ValueError, match="whole microseconds"):
        scoring.time_averaged_brier(
            0.5, 10.0, [1.25], [1], np.array([[0.5, 0.5]]), [], [], 1
        )
