"""verify_ledger recomputes every chain and names the first entry changed behind
the application's back."""

from datetime import timedelta

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from forecasts.models import Entry, ResolutionEvent, Score, Standing
from forecasts.services import (
    extend_community_series,
    resolve_question,
    score_resolution,
    submit_forecast,
)
from tests.factories import QuestionFactory, UserFactory
from tests.tampering import raw_sql

pytestmark = pytest.mark.core


@pytest.fixture
def ledger(binary_question, staff, clock):
    users = [UserFactory() for _ in range(3)]
    entries = []
    for i, p in enumerate([0.6, 0.7, 0.2, 0.55]):
        clock.set(clock.moment + timedelta(minutes=45))
        entries.append(
            submit_forecast(question=binary_question, user=users[i % 3], probability=p)
        )
    clock.set(clock.moment + timedelta(hours=3))
    extend_community_series(question=binary_question, until=clock.moment)
    resolve_question(question=binary_question, user=staff, outcome=1)
    return binary_question, entries


def test_clean_ledger_verifies(ledger, capsys):
    call_command("verify_ledger")
    assert "every chain is intact" in capsys.readouterr().out


def test_changed_probability_is_caught_and_named(ledger):
    question, entries = ledger
    raw_sql("UPDATE forecasts_entry SET p_yes_bp = 9000 WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError) as caught:
        call_command("verify_ledger")
    assert f"question {question.slug} entry #2 (id {entries[1].pk})" in str(
        caught.value
    )


def test_rewritten_vector_is_caught_by_the_hash(ledger):
    question, entries = ledger
    raw_sql(
        "UPDATE forecasts_entry SET p_yes_bp = 9000, probabilities_bp = %s "
        "WHERE id = %s",
        ["[1000, 9000]", entries[2].pk],
    )
    with pytest.raises(CommandError, match="entry #3 .*hash does not match"):
        call_command("verify_ledger")


def test_deleted_last_entry_is_caught_by_the_head(ledger):
    _, entries = ledger
    raw_sql("DELETE FROM forecasts_standing WHERE entry_id = %s", [entries[-1].pk])
    raw_sql("DELETE FROM forecasts_entry WHERE id = %s", [entries[-1].pk])
    with pytest.raises(CommandError, match="ledger head says 4 entries"):
        call_command("verify_ledger")


def test_changed_running_sums_are_caught(ledger):
    # The sums a resolution is scored from: A's held P(yes)·time, doubled.
    question, entries = ledger
    user = entries[0].user_id
    stored = Standing.objects.get(question=question, user_id=user).sums
    values = np.frombuffer(stored, "<f8").copy()
    values[-3] *= 2
    raw_sql(
        "UPDATE forecasts_standing SET sums = %s WHERE user_id = %s",
        [values.tobytes(), user],
    )
    with pytest.raises(CommandError, match=f"running sums of user {user} disagree"):
        call_command("verify_ledger")


def test_changed_resolution_is_caught(ledger):
    question, _ = ledger
    raw_sql("UPDATE forecasts_resolutionevent SET outcome = 0")
    with pytest.raises(CommandError, match="resolution v1 .*hash does not match"):
        call_command("verify_ledger")


def test_changed_community_point_is_caught(ledger):
    raw_sql(
        "UPDATE forecasts_communitypoint SET probabilities = %s "
        "WHERE id = (SELECT MIN(id) FROM forecasts_communitypoint)",
        ["[0.1, 0.9]"],
    )
    with pytest.raises(CommandError, match="community point at"):
        call_command("verify_ledger")


@pytest.fixture
def scored(ledger):
    question, entries = ledger
    score_resolution(resolution_id=ResolutionEvent.objects.get(question=question).pk)
    return entries


def test_clean_scores_verify(scored, capsys):
    call_command("verify_ledger")
    assert "every chain is intact" in capsys.readouterr().out


def test_score_moved_to_another_forecasters_entry_is_caught(scored):
    entries = scored
    score = Score.objects.get(user=entries[1].user)
    raw_sql(
        "UPDATE forecasts_score SET final_entry_id = %s WHERE id = %s",
        [entries[2].pk, score.pk],
    )
    with pytest.raises(CommandError, match=f"score {score.pk} .*not of its question"):
        call_command("verify_ledger")


def test_score_of_a_missing_entry_is_caught(scored):
    entries = scored
    score = Score.objects.get(user=entries[1].user)
    raw_sql(
        "UPDATE forecasts_score SET final_entry_id = %s WHERE id = %s",
        [entries[-1].pk + 1000, score.pk],
    )
    with pytest.raises(CommandError, match=f"score {score.pk} .*not of its question"):
        call_command("verify_ledger")


@pytest.mark.parametrize("resolution", ["another question's", "missing"])
def test_score_of_a_resolution_not_its_own_is_caught(scored, staff, resolution):
    entries = scored
    other = QuestionFactory()
    submit_forecast(question=other, user=entries[0].user, probability=0.5)
    event = resolve_question(question=other, user=staff, outcome=0)
    score = Score.objects.get(user=entries[1].user)
    wrong = event.pk if resolution == "another question's" else event.pk + 1000
    raw_sql(
        "UPDATE forecasts_score SET resolution_id = %s WHERE id = %s",
        [wrong, score.pk],
    )
    with pytest.raises(CommandError, match=f"score {score.pk} .*not of its question"):
        call_command("verify_ledger")


def test_verify_reads_each_entry_once(ledger, django_assert_max_num_queries):
    assert Entry.objects.count() == 4
    # Questions, heads, then per question: entries, standing, resolutions,
    # community points and the entries behind them; then one for the scores.
    with django_assert_max_num_queries(9):
        call_command("verify_ledger")
