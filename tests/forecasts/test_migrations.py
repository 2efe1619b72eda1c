"""Migrations 0005 and 0006 copy what calibration reads onto scores already written."""

import pytest
from django.core.management import call_command

from forecasts.models import Score
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.core


@pytest.mark.django_db(transaction=True)
def test_backfill_matches_what_scoring_writes(django_capture_on_commit_callbacks):
    staff = UserFactory(is_staff=True)
    binary = QuestionFactory()
    multiple = QuestionFactory(kind="multiple_choice", options=["A", "B", "C"])
    forecaster = UserFactory()
    submit_forecast(question=binary, user=forecaster, probability=0.7)
    submit_forecast(question=multiple, user=forecaster, probabilities=[0.2, 0.5, 0.3])
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=binary, user=staff, outcome=1)
        resolve_question(question=multiple, user=staff, outcome=2)
        resolve_question(
            question=binary, user=staff, outcome=0, re_resolve=True, note="Misread."
        )
    written = _calibration_columns()
    try:
        call_command("migrate", "forecasts", "0004", verbosity=0)
    finally:
        # Every app: going back unapplied the apps whose migrations depend
        # on later forecasts migrations (tournaments, discussion, ...).
        call_command("migrate", verbosity=0)
    assert _calibration_columns() == written
    assert [row[-1] for row in written] == [False, True, True]


def _calibration_columns() -> list[tuple]:
    return list(
        Score.objects.order_by("pk").values_list(
            "close_time",
            "window_end",
            "outcome",
            "final_bp",
            "final_p_yes_bp",
            "current",
        )
    )
