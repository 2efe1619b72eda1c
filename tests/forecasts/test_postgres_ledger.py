"""On PostgreSQL the database itself keeps the ledger append-only and linear."""

import threading
from datetime import timedelta

import numpy as np
import pytest
from django.db import DatabaseError, connection, connections, transaction

from forecasts.models import Clarification, Entry, LedgerHead, ResolutionEvent
from forecasts.scoring import fold_ledger
from forecasts.selectors.arrays import entry_arrays
from forecasts.selectors.running import ledger_sums
from forecasts.services import resolve_question, submit_forecast, update_question
from forecasts.verification import verify_ledger
from tests.conftest import need_service
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.postgres


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE forecasts_entry SET p_yes_bp = 9000",
        "DELETE FROM forecasts_entry",
        "UPDATE forecasts_resolutionevent SET note = 'x'",
        "DELETE FROM forecasts_clarification",
    ],
)
def test_trigger_refuses_raw_update_and_delete(
    postgres, binary_question, user, staff, sql
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    update_question(question=binary_question, resolution_criteria="Clarified.")
    resolve_question(question=binary_question, user=staff, outcome=1)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql)
    assert Entry.objects.get().p_yes_bp == 7000
    assert ResolutionEvent.objects.get().note == ""
    assert Clarification.objects.count() == 1


@pytest.fixture
def pg_transactional(transactional_db):
    if connection.vendor != "postgresql":
        need_service("needs PostgreSQL: set DATABASE_URL=postgres://…")


def test_concurrent_submissions_keep_each_chain_linear(pg_transactional):
    questions = [QuestionFactory(), QuestionFactory()]
    users = [UserFactory() for _ in range(8)]
    errors = []

    def forecaster(user):
        try:
            for i in range(10):
                question = questions[i % 2]
                submit_forecast(question=question, user=user, probability=0.5)
        except Exception as error:  # surfaced below, with the thread's failure
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=forecaster, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for question in questions:
        sequences = list(
            Entry.objects.filter(question=question)
            .order_by("sequence")
            .values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, 41))
        assert LedgerHead.objects.get(question=question).entries == 40
    assert verify_ledger() == []


def test_connections_run_without_jit_compilation(postgres):
    # A JIT compile cost calibration's join more than the query (BENCHMARKS.md).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def test_concurrent_submissions_keep_the_running_sums_whole(pg_transactional):
    """Sums follow the latest committed rows, not the snapshot before the lock.

    Under READ COMMITTED a statement that waits for the head's lock sees the
    head as it is after the wait, but other rows as they were before: the
    previous writer's standing row would then look absent or out of date.
    """
    question = QuestionFactory()
    users = [UserFactory() for _ in range(6)]
    errors = []

    def forecaster(user, seed):
        try:
            for i in range(12):
                p = ((seed * 13 + i * 7) % 97 + 1) / 100
                submit_forecast(question=question, user=user, probability=p)
        except Exception as error:  # surfaced below, with the thread's failure
            errors.append(error)
        finally:
            connections.close_all()

    # Two threads share each of the first two forecasters: one person's two
    # tabs racing each other.
    work = [(user, n) for n, user in enumerate(users)] + [(users[0], 7), (users[1], 8)]
    threads = [threading.Thread(target=forecaster, args=args) for args in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    head = LedgerHead.objects.get(question=question)
    assert head.entries == 96
    far = head.last_entry_at + timedelta(days=1)
    summed = ledger_sums(question, head, before=far)
    assert summed is not None, "the sums lost track of the ledger"
    entries = entry_arrays(question, before=far)
    bp = np.rint(entries.vectors * 10_000)
    folded = fold_ledger(entries.micros, entries.users, bp)
    sums, _ = summed
    np.testing.assert_array_equal(sums.users, folded.users)
    np.testing.assert_array_equal(sums.entries, folded.entries)
    np.testing.assert_allclose(sums.held_bp, folded.held_bp, rtol=1e-12)
    np.testing.assert_allclose(sums.market_bp, folded.market_bp, rtol=1e-12)
