"""insert_columns writes numpy columns as rows: binary COPY on PostgreSQL."""

import math

import numpy as np
import pytest

from forecasts.models import Score
from forecasts.services import resolve_question, submit_forecast
from forecasts.services.bulk import insert_columns
from forecasts.services.score_columns import SCORE_COLUMNS
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.core


def test_rows_come_back_as_written_with_nulls_where_nan(db, staff, clock):
    question = QuestionFactory(kind="multiple_choice", options=["A", "B", "C"])
    vectors = [[0, 0, 10_000], [10_000, 0, 0], [1, 9_998, 1], [3_333, 3_333, 3_334]]
    users = [UserFactory() for _ in vectors]
    entries = [
        submit_forecast(question=question, user=user, probabilities=[0.2, 0.3, 0.5])
        for user in users
    ]
    event = resolve_question(question=question, user=staff, outcome=2)
    nan = math.nan
    # Four rows, four patterns of NULLs (relative Brier, peer, RPS); the
    # final forecasts at the JSON column's edges (0 and 10,000 bp).
    floats = {
        "brier": [0.5, 1.25, 0.0, 2.0],
        "time_averaged_brier": [0.1, 0.2, 0.3, 0.4],
        "relative_brier": [nan, -0.5, nan, 1e-300],
        "log_score": [-0.1, -2.5, -30.0, -1.0986],
        "baseline": [10.0, -20.0, 0.0, 5.5],
        "peer": [nan, nan, 3.25, -3.25],
        "points": [1.0, 2.0, 3.0, -6.0],
        "rps": [0.0, 0.5, nan, 1.0],
    }
    columns = {
        "resolution_id": event.pk,
        "question_id": question.pk,
        "user_id": np.array([u.pk for u in users]),
        "final_entry_id": np.array([e.pk for e in entries]),
        "entries": np.array([1, 2, 3, 70_000]),
        **{name: np.array(values) for name, values in floats.items()},
        "close_time": question.close_time,
        "window_end": clock.moment,
        "outcome": 2,
        "final_bp": np.array(vectors),
        "final_p_yes_bp": None,
        "current": True,
    }
    assert tuple(columns) == SCORE_COLUMNS

    insert_columns(Score, columns, len(users))

    rows = Score.objects.order_by("user_id").values_list(*SCORE_COLUMNS)
    expected = [
        (
            event.pk,
            question.pk,
            users[i].pk,
            entries[i].pk,
            [1, 2, 3, 70_000][i],
            *(None if math.isnan(v[i]) else v[i] for v in floats.values()),
            question.close_time,
            clock.moment,
            2,
            vectors[i],
            None,
            True,
        )
        for i in range(len(users))
    ]
    assert list(rows) == expected
