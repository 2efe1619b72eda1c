"""The cached leaderboard: read through the cache, fresh once scoring completes.

A cached read costs one query: the scoring state that keys the cache."""

import uuid

import pytest
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.services import delete_account
from forecasts.selectors import cached_leaderboard
from forecasts.selectors.cached_leaderboard import cached_leaderboard as board
from forecasts.services import resolve_question, score_resolution, submit_forecast
from forecasts.tasks import refresh_leaderboards_task
from tests.factories import QuestionFactory

pytestmark = pytest.mark.core


@pytest.fixture(autouse=True)
def cache(monkeypatch):
    fresh = LocMemCache(f"leaderboard-{uuid.uuid4()}", {})
    monkeypatch.setattr(cached_leaderboard, "cache", fresh)
    return fresh


@pytest.fixture
def resolve(django_capture_on_commit_callbacks, staff):
    def resolve(question, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            resolve_question(question=question, user=staff, **kwargs)

    return resolve


def forecast_and_resolve(resolve, probability, user):
    question = QuestionFactory()
    submit_forecast(question=question, user=user, probability=probability)
    resolve(question, outcome=1)


def queries(read) -> int:
    with CaptureQueriesContext(connection) as captured:
        read()
    return len(captured)


def test_a_second_read_comes_from_the_cache(resolve, user):
    forecast_and_resolve(resolve, 0.7, user)

    first = board()

    assert queries(board) == 1
    assert board() == first
    assert [(r["user__username"], r["questions"]) for r in first] == [
        (user.username, 1)
    ]


def test_completed_scoring_makes_the_cached_board_stale(resolve, user):
    forecast_and_resolve(resolve, 0.7, user)
    assert board()[0]["questions"] == 1

    forecast_and_resolve(resolve, 0.9, user)

    assert board()[0]["questions"] == 2


def test_each_query_has_its_own_entry(resolve, user):
    forecast_and_resolve(resolve, 0.7, user)

    assert board(min_questions=2) == []
    assert len(board(min_questions=1)) == 1
    assert board(tag="nothing-tagged") == []


def test_the_refresh_task_warms_every_default_board(resolve, user):
    forecast_and_resolve(resolve, 0.7, user)

    assert refresh_leaderboards_task.delay().get() == 3

    for by in ("brier", "relative_brier", "points"):
        assert queries(lambda by=by: board(by=by)) == 1


def test_scoring_outside_the_task_also_makes_the_board_stale(
    django_capture_on_commit_callbacks, staff, user
):
    # load_demo scores in its own process, with no task to announce it.
    question = QuestionFactory()
    submit_forecast(question=question, user=user, probability=0.7)
    assert board() == []
    with django_capture_on_commit_callbacks(execute=False):
        event = resolve_question(question=question, user=staff, outcome=1)
    score_resolution(resolution_id=event.pk)
    assert [r["questions"] for r in board()] == [1]


def rows(read=board) -> list[tuple[str, float]]:
    return [(r["user__username"], round(r["mean_brier"], 6)) for r in read()]


def test_a_re_resolution_shows_at_once(
    django_capture_on_commit_callbacks, resolve, staff, user
):
    question = QuestionFactory()
    submit_forecast(question=question, user=user, probability=0.7)
    resolve(question, outcome=1)
    # Yes: Brier 2·0.3² = 0.18, the whole window.
    assert rows() == [(user.username, 0.18)]

    with django_capture_on_commit_callbacks(execute=False) as pending:
        resolve_question(
            question=question, user=staff, outcome=0, re_resolve=True, note="No."
        )
    # Version 1's scores are retired at once; version 2's are not ready.
    assert rows() == []
    for callback in pending:
        callback()
    # No: Brier 2·0.7² = 0.98.
    assert rows() == [(user.username, 0.98)]


def test_a_deleted_account_loses_its_name_at_once(resolve, user):
    forecast_and_resolve(resolve, 0.7, user)
    old_name = user.username
    assert rows() == [(old_name, 0.18)]

    delete_account(user=user)

    assert rows() == [(f"deleted-{user.pk}", 0.18)]
    assert old_name not in str(board())


def test_a_renamed_account_shows_its_new_name_at_once(resolve, user):
    forecast_and_resolve(resolve, 0.7, user)
    assert rows() == [(user.username, 0.18)]

    user.username = "renamed"
    user.save()

    assert rows() == [("renamed", 0.18)]


def test_a_log_in_keeps_the_cached_board(client, resolve, user):
    forecast_and_resolve(resolve, 0.7, user)
    user.set_password("a long pass phrase 7")
    user.save()
    board()

    # Logging in writes last_login only, which no board shows.
    assert client.login(username=user.username, password="a long pass phrase 7")

    assert queries(board) == 1
