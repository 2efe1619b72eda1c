"""On PostgreSQL the database itself keeps the ledger append-only and linear."""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from forecasts.models import Clarification, Entry, LedgerHead, ResolutionEvent
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
