"""The all mode reads the ledger only for scores over several entries."""

import pytest
from django.utils import timezone

from forecasts import scoring
from forecasts.models import Score
from forecasts.selectors.calibration import calibration_for, calibration_points
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory


def test_all_mode_counts_every_entry_of_scores_over_one_or_several(
    db, staff, user, django_capture_on_commit_callbacks
):
    updated = QuestionFactory()
    choice = QuestionFactory(kind="multiple_choice", options=["A", "B", "C"])
    once = QuestionFactory()
    submit_forecast(question=updated, user=user, probability=0.3)
    submit_forecast(question=updated, user=user, probability=0.65)
    submit_forecast(question=choice, user=user, probabilities=[0.5, 0.3, 0.2])
    submit_forecast(question=choice, user=user, probabilities=[0.2, 0.7, 0.1])
    submit_forecast(question=once, user=user, probability=0.85)
    for question, outcome in ((updated, 1), (choice, 1), (once, 0)):
        question.close_time = timezone.now()
        question.save()
        with django_capture_on_commit_callbacks(execute=True):
            resolve_question(question=question, user=staff, outcome=outcome)
    assert sorted(Score.objects.values_list("entries", flat=True)) == [1, 2, 2]

    table = calibration_for(user=user, mode="all")

    # Points: 0.3 and 0.65 → yes; A 0.5, 0.2 → no, B 0.3, 0.7 → yes, C 0.2,
    # 0.1 → no; 0.85 → no. MSE = (0.7² + 0.35² + 0.5² + 0.7² + 0.2² + 0.2² +
    # 0.3² + 0.1² + 0.85²) / 9 = 2.255 / 9.
    assert table.n == 9
    assert [(b.count, b.observed_frequency) for b in table.bins if b.count] == [
        (1, 0.0),  # [0.1, 0.2): 0.1
        (2, 0.0),  # [0.2, 0.3): 0.2, 0.2
        (2, 1.0),  # [0.3, 0.4): 0.3, 0.3
        (1, 0.0),  # [0.5, 0.6): 0.5
        (1, 1.0),  # [0.6, 0.7): 0.65
        (1, 1.0),  # [0.7, 0.8): 0.7
        (1, 0.0),  # [0.8, 0.9): 0.85
    ]
    assert table.mean_squared_error == pytest.approx(2.255 / 9)
    points = scoring.calibration(*calibration_points(user=user, mode="all"))
    assert table.mean_squared_error == pytest.approx(points.mean_squared_error)
    assert table.within_bin == pytest.approx(points.within_bin, abs=1e-12)
