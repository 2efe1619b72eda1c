"""load_demo adds a scored practice set; remove_demo takes it, and only it, away."""

from datetime import UTC, datetime

import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from forecasts.models import (
    AppendOnlyError,
    CommunityPoint,
    Entry,
    PracticeRemoval,
    Question,
    ResolutionEvent,
    Score,
    Scoring,
    Tag,
)
from forecasts.practice.forecasters import to_percents
from forecasts.practice.loading import load_practice_set
from forecasts.practice.removal import remove_practice_set
from forecasts.selectors.calibration import calibration_for
from forecasts.selectors.scores import leaderboard
from forecasts.services import resolve_question, score_resolution, submit_forecast
from forecasts.verification import verify_ledger
from tests.factories import QuestionFactory, UserFactory

User = get_user_model()


@pytest.fixture(autouse=True)
def daily_community_steps(settings):
    # Hourly steps over months of practice history are most of load_demo's
    # time; daily steps keep these tests fast and check the same things.
    settings.COMMUNITY_STEP_SECONDS = 86400


def load_demo(**options):
    call_command("load_demo", forecasters=5, **options)


def practice_questions():
    return Question.objects.filter(tags__slug="practice")


def ledger_counts():
    return (
        Question.objects.count(),
        Entry.objects.count(),
        ResolutionEvent.objects.count(),
        Score.objects.count(),
        CommunityPoint.objects.count(),
        User.objects.count(),
    )


@pytest.mark.core
def test_load_demo_adds_resolved_and_scored_practice_questions(db):
    load_demo()
    questions = list(practice_questions().select_related("head"))
    assert len(questions) == 6
    assert all(q.title.startswith("Practice:") for q in questions)
    assert all("synthetic practice question" in q.body for q in questions)
    assert [q.ordered for q in questions].count(True) == 1
    assert all(q.status() == "resolved" for q in questions)
    assert Scoring.objects.count() == 6
    assert all(CommunityPoint.objects.filter(question=q).exists() for q in questions)
    assert verify_ledger() == []


@pytest.mark.core
def test_practice_entries_span_each_question_life_in_the_past(db):
    load_demo()
    for question in practice_questions():
        times = list(question.entries.values_list("created_at", flat=True))
        assert len(times) >= 5
        assert question.open_time <= min(times)
        assert max(times) < question.close_time
        assert max(times) - min(times) > (question.close_time - question.open_time) / 2
        assert question.resolutions.get().created_at > question.close_time


@pytest.mark.core
def test_load_demo_fills_leaderboard_and_calibration(db):
    load_demo()
    board = list(leaderboard(tag="practice", min_questions=3))
    assert [row["user__username"] for row in board] != []
    assert all(row["user__username"].startswith("practice-") for row in board)
    assert calibration_for(tag="practice").n >= 20
    assert (
        calibration_for(tag="practice", mode="all").n
        > calibration_for(tag="practice").n
    )


@pytest.mark.core
def test_practice_accounts_cannot_log_in_and_the_admin_resolves(db):
    load_demo()
    users = User.objects.filter(username__startswith="practice-")
    assert users.count() == 6
    assert not any(user.has_usable_password() for user in users)
    resolvers = ResolutionEvent.objects.values_list("created_by__username", flat=True)
    assert set(resolvers) == {"practice-admin"}
    assert User.objects.get(username="practice-admin").is_staff


@pytest.mark.core
def test_rerunning_load_demo_adds_nothing(db, capsys):
    load_demo()
    before = ledger_counts()
    load_demo()
    assert ledger_counts() == before
    assert "0 questions created" in capsys.readouterr().out


@pytest.mark.core
def test_same_seed_gives_the_same_practice_forecasts(db):
    today = datetime(2026, 3, 1, tzinfo=UTC)

    def forecasts():
        load_practice_set(forecasters=5, today=today)
        return list(
            Entry.objects.order_by("question__slug", "sequence").values_list(
                "question__slug", "user__username", "probabilities_bp", "created_at"
            )
        )

    first = forecasts()
    remove_practice_set()
    assert forecasts() == first


@pytest.mark.core
def test_load_demo_refuses_to_forecast_as_a_real_account(db):
    UserFactory(username="practice-ada")
    with pytest.raises(CommandError, match="real account"):
        load_demo()
    assert not practice_questions().exists()


@pytest.fixture
def real_question(user, staff, clock):
    """A tagged, non-practice question with an entry, a resolution and scores."""
    question = QuestionFactory(tags=["weather"])
    started = clock.moment
    submit_forecast(question=question, user=user, probability=0.7)
    clock.set(question.close_time)
    event = resolve_question(question=question, user=staff, outcome=1)
    score_resolution(resolution_id=event.pk)
    clock.set(started)
    return question


@pytest.mark.core
def test_remove_demo_removes_only_the_practice_set(db, real_question, user):
    load_demo()
    call_command("remove_demo")
    assert list(Question.objects.all()) == [real_question]
    assert list(Entry.objects.values_list("user", flat=True)) == [user.pk]
    assert Score.objects.filter(question=real_question).count() == 1
    assert CommunityPoint.objects.exclude(question=real_question).count() == 0
    assert not User.objects.filter(username__startswith="practice-").exists()
    assert not Tag.objects.filter(slug="practice").exists()
    assert verify_ledger() == []


@pytest.mark.core
def test_remove_demo_logs_what_it_removed(db):
    load_demo()
    entries = Entry.objects.count()
    slugs = sorted(practice_questions().values_list("slug", flat=True))
    call_command("remove_demo")
    call_command("remove_demo")
    log = PracticeRemoval.objects.get()
    assert log.question_slugs == slugs
    assert (log.entries, log.resolutions, log.clarifications) == (entries, 6, 0)
    assert log.users == 6


@pytest.mark.core
def test_practice_user_with_a_real_forecast_is_kept(db, binary_question):
    load_demo()
    ada = User.objects.get(username="practice-ada")
    submit_forecast(question=binary_question, user=ada, probability=0.4)
    call_command("remove_demo")
    assert User.objects.filter(username="practice-ada").exists()
    assert PracticeRemoval.objects.get().users == 5
    assert verify_ledger() == []


@pytest.mark.core
def test_removal_log_is_append_only(db):
    load_demo()
    remove_practice_set()
    with pytest.raises(AppendOnlyError):
        PracticeRemoval.objects.all().delete()


@pytest.mark.parametrize(
    ("probabilities", "percents"),
    [
        ([0.25, 0.25, 0.25, 0.25], (25, 25, 25, 25)),
        ([0.0, 0.0, 1.0], (1, 1, 98)),
        ([0.333, 0.333, 0.334], (33, 33, 34)),
        ([0.006, 0.5, 0.494], (2, 49, 49)),
    ],
)
def test_to_percents_sums_to_100_with_at_least_1_each(probabilities, percents):
    assert to_percents(np.array(probabilities)) == percents


def raw_delete(sql, *params):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params)


def allow_practice_removal():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL forecasts.practice_removal = 'on'")


@pytest.mark.postgres
def test_trigger_refuses_practice_delete_without_the_setting(postgres):
    load_demo()
    question = practice_questions().first()
    raw_delete("DELETE FROM forecasts_entry WHERE question_id = %s", question.pk)
    raw_delete(
        "DELETE FROM forecasts_resolutionevent WHERE question_id = %s", question.pk
    )
    assert verify_ledger() == []


@pytest.mark.postgres
def test_trigger_refuses_non_practice_delete_with_the_setting(postgres, real_question):
    load_demo()
    allow_practice_removal()
    raw_delete("DELETE FROM forecasts_entry WHERE question_id = %s", real_question.pk)
    raw_delete("DELETE FROM forecasts_entry")
    assert Entry.objects.filter(question=real_question).count() == 1


@pytest.mark.postgres
def test_trigger_refuses_practice_update_with_the_setting(postgres):
    load_demo()
    allow_practice_removal()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE forecasts_entry SET rationale = 'edited'")


@pytest.mark.postgres
def test_removal_leaves_deletes_refused_and_its_log_undeletable(
    postgres, real_question
):
    load_demo()
    remove_practice_set()
    raw_delete("DELETE FROM forecasts_entry")
    raw_delete("DELETE FROM forecasts_practiceremoval")
    assert PracticeRemoval.objects.count() == 1
