"""Stored community points are right by construction, and repairable.

A point C(h) is used by time-averaged Brier for ever, so it must count every
entry with created_at < h, including one still committing when the snapshot
runs; one stored wrongly by an older version is recomputed by
`verify_ledger --repair`, which rescores the question's latest version.
"""

import threading
import time
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction

from forecasts.models import CommunityPoint, Score
from forecasts.services import (
    extend_community_series,
    resolve_question,
    submit_forecast,
)
from forecasts.services.community import store_community_points
from tests.factories import QuestionFactory, UserFactory

H = datetime(2026, 12, 1, 6, tzinfo=UTC)  # a whole hour: a 3600 s boundary


def in_thread(target, failures: list) -> threading.Thread:
    """Run target on its own database connection, keeping any exception."""

    def run():
        try:
            target()
        except Exception as error:  # re-raised by the test
            failures.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def waiting_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.django_db(transaction=True)
def test_a_snapshot_counts_an_entry_still_committing_before_its_boundary(
    postgres, clock, settings
):
    settings.COMMUNITY_STEP_SECONDS = 3600
    clock.set(H - timedelta(days=1))
    question = QuestionFactory(
        open_time=H - timedelta(days=1), close_time=H + timedelta(days=1)
    )
    early, late = UserFactory(), UserFactory()
    clock.set(H - timedelta(seconds=100))
    submit_forecast(question=question, user=early, probability=0.2)
    entered, release, failures = threading.Event(), threading.Event(), []

    def slow_entry():
        # Holds the question's lock with created_at = H − 10 s, uncommitted.
        with transaction.atomic():
            submit_forecast(question=question, user=late, probability=0.9)
            entered.set()
            release.wait()

    writer = in_thread(slow_entry, failures)
    entered.wait()
    clock.set(H + timedelta(seconds=10))
    snapshot = in_thread(
        lambda: extend_community_series(question=question, until=clock.moment),
        failures,
    )
    # The snapshot either queues behind the entry's lock or (before the fix)
    # has already stored its point; only then is the entry let commit.
    deadline = time.monotonic() + 60
    while snapshot.is_alive() and not waiting_for_a_lock():
        assert time.monotonic() < deadline, "the snapshot neither ran nor waited"
        time.sleep(0.01)
    release.set()
    writer.join()
    snapshot.join()

    assert failures == []
    point = CommunityPoint.objects.get(question=question, time=H)
    # Both forecasts stand at H: two forecasters, weights 1 and 1, median
    # P(yes) (0.2 + 0.9)/2 = 0.55.
    assert point.forecasters == 2
    assert point.probabilities == pytest.approx([0.45, 0.55])


T0 = datetime(2025, 3, 1, tzinfo=UTC)


def hours(h: float) -> datetime:
    return T0 + timedelta(hours=h)


@pytest.fixture
def wrongly_scored(db, clock, settings, staff, django_capture_on_commit_callbacks):
    """A question scored from a community point an older version stored wrongly.

    A forecasts 0.8 at 0.5h, B 0.4 at 2.5h; it closes at 4h and resolves Yes.
    The point at 2h is overwritten with P(yes) 0.9 before scoring.
    """
    settings.COMMUNITY_STEP_SECONDS = 3600
    clock.set(hours(-1))
    question = QuestionFactory(open_time=T0, close_time=hours(4))
    a, b = UserFactory(), UserFactory()
    for when, user, p in [(0.5, a, 0.8), (2.5, b, 0.4)]:
        clock.set(hours(when))
        submit_forecast(question=question, user=user, probability=p)
    clock.set(hours(5))
    extend_community_series(question=question, until=hours(4))
    CommunityPoint.objects.filter(question=question, time=hours(2)).update(
        probabilities=[0.1, 0.9]
    )
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=question, user=staff, outcome=1)
    return question, b


def b_time_averaged(question, b) -> float:
    return Score.objects.get(
        question=question, user=b, current=True
    ).time_averaged_brier


def test_repair_recomputes_a_bad_point_and_rescores(wrongly_scored, capsys):
    question, b = wrongly_scored
    # B waits on C over [1h, 2.5h), then holds 0.4 (Brier 0.72) to 4h; counted
    # 3h. Correct C: 0.8 throughout (Brier 0.08): (1.5·0.08 + 1.5·0.72)/3 = 0.4.
    # With the bad 0.9 (Brier 0.02) over [2h, 2.5h): (0.08 + 0.01 + 1.08)/3 = 0.39.
    assert b_time_averaged(question, b) == pytest.approx(0.39)
    with pytest.raises(CommandError, match="community point"):
        call_command("verify_ledger")

    call_command("verify_ledger", "--repair")

    assert (
        f"Repaired the community series of {question.slug}" in capsys.readouterr().out
    )
    point = CommunityPoint.objects.get(question=question, time=hours(2))
    assert point.probabilities == pytest.approx([0.2, 0.8])
    assert b_time_averaged(question, b) == pytest.approx(0.4)
    assert Score.objects.filter(question=question).count() == 2
    call_command("verify_ledger")


def test_points_are_stored_once_with_each_boundarys_standing_forecasts(
    db, clock, settings
):
    # A forecasts 0.8 at 0.5h, B 0.4 at 2.5h. Hourly points: at 1h and 2h only
    # A stands (P(yes) 0.8); at 3h both, two forecasters weighing the same,
    # so the median is (0.4 + 0.8)/2 = 0.6.
    settings.COMMUNITY_STEP_SECONDS = 3600
    clock.set(hours(-1))
    question = QuestionFactory(open_time=T0, close_time=hours(4))
    for when, p in [(0.5, 0.8), (2.5, 0.4)]:
        clock.set(hours(when))
        submit_forecast(question=question, user=UserFactory(), probability=p)
    clock.set(hours(5))
    store_community_points(question, np.array([hours(1).timestamp()]))
    CommunityPoint.objects.filter(question=question).update(probabilities=[0.5, 0.5])

    added = extend_community_series(question=question, until=hours(4))
    store_community_points(question, np.array([hours(h).timestamp() for h in (1, 2)]))

    points = CommunityPoint.objects.filter(question=question).order_by("time")
    assert added == 2  # 2h and 3h: the series goes on from the latest point
    assert [(p.time, p.forecasters) for p in points] == [
        (hours(1), 1),
        (hours(2), 1),
        (hours(3), 2),
    ]
    # The point stored first is left as it was; the others are the medians.
    assert [p.probabilities for p in points] == [
        [0.5, 0.5],
        pytest.approx([0.2, 0.8]),
        pytest.approx([0.4, 0.6]),
    ]


def test_points_keep_their_boundaries_to_the_microsecond(db, clock):
    # The times travel as float seconds on PostgreSQL: a boundary with a
    # fraction of a second is stored at the same microsecond.
    clock.set(hours(-1))
    question = QuestionFactory(open_time=T0, close_time=hours(4))
    clock.set(hours(0.5))
    submit_forecast(question=question, user=UserFactory(), probability=0.3)
    clock.set(hours(5))
    moments = [hours(1) + timedelta(microseconds=us) for us in (1, 499_999, 999_999)]

    store_community_points(question, np.array([m.timestamp() for m in moments]))

    points = CommunityPoint.objects.filter(question=question).order_by("time")
    assert [(p.time, p.probabilities) for p in points] == [
        (m, pytest.approx([0.7, 0.3])) for m in moments
    ]
