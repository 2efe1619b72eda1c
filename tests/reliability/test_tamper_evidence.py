"""Tampering behind the application's back, with raw SQL: verify_ledger catches
every case and names the first bad row. Each attack is also tried with the
tampered row's hash recomputed from the public recipe, as an attacker who read
the README would do."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest

from forecasts.ledger import entry_hash, resolution_hash
from forecasts.models import Entry, ResolutionEvent
from forecasts.services import resolve_question, submit_forecast
from forecasts.verification import verify_ledger
from tests.factories import QuestionFactory, UserFactory
from tests.tampering import raw_sql as sql

pytestmark = pytest.mark.core


def entry_row(entry_id: int) -> dict:
    return Entry.objects.filter(pk=entry_id).values().get()


def forged_hash(row: dict, slug: str) -> str:
    return entry_hash(slug, SimpleNamespace(**row))


def rehash(entry_id: int, slug: str) -> None:
    sql(
        "UPDATE forecasts_entry SET hash = %s WHERE id = %s",
        [forged_hash(entry_row(entry_id), slug), entry_id],
    )


@pytest.fixture
def chain(db, clock):
    """A question with five entries by three users, resolved, plus a bystander."""
    question = QuestionFactory()
    bystander = QuestionFactory()
    users = [UserFactory() for _ in range(3)]
    entries = []
    for i, p in enumerate([0.2, 0.4, 0.6, 0.8, 0.5]):
        clock.set(clock.moment + timedelta(minutes=10))
        entries.append(
            submit_forecast(question=question, user=users[i % 3], probability=p)
        )
    submit_forecast(question=bystander, user=users[0], probability=0.3)
    resolve_question(question=question, user=UserFactory(is_staff=True), outcome=1)
    return question, [e.pk for e in entries]


def change_probability(question, ids, recompute):
    sql(
        "UPDATE forecasts_entry SET p_yes_bp = 9900, probabilities_bp = %s "
        "WHERE id = %s",
        ["[100, 9900]", ids[1]],
    )
    if recompute:
        rehash(ids[1], question.slug)


def change_timestamp(question, ids, recompute):
    row = entry_row(ids[1])
    sql(
        "UPDATE forecasts_entry SET created_at = %s WHERE id = %s",
        [row["created_at"] + timedelta(seconds=1), ids[1]],
    )
    if recompute:
        rehash(ids[1], question.slug)


def delete_entry(question, ids, recompute):
    sql("DELETE FROM forecasts_standing WHERE entry_id = %s", [ids[1]])
    sql("DELETE FROM forecasts_entry WHERE id = %s", [ids[1]])
    if recompute:
        # Close the gap: renumber the later entries and rehash each of them.
        for entry_id in ids[2:]:
            sql(
                "UPDATE forecasts_entry SET sequence = sequence - 1 WHERE id = %s",
                [entry_id],
            )
            rehash(entry_id, question.slug)


def insert_entry(question, ids, recompute):
    last = entry_row(ids[-1])
    forged = {
        **last,
        "sequence": 6,
        "prev_hash": last["hash"],
        "created_at": last["created_at"] + timedelta(seconds=1),
    }
    forged["hash"] = forged_hash(forged, question.slug) if recompute else "f" * 64
    sql(
        "INSERT INTO forecasts_entry (question_id, user_id, sequence, "
        "probabilities_bp, p_yes_bp, rationale, created_at, salt, prev_hash, hash) "
        "VALUES (%s, %s, 6, %s, %s, '', %s, %s, %s, %s)",
        [
            question.pk,
            last["user_id"],
            "[5000, 5000]",
            5000,
            forged["created_at"],
            forged["salt"],
            forged["prev_hash"],
            forged["hash"],
        ],
    )


def swap_sequences(question, ids, recompute):
    sql("UPDATE forecasts_entry SET sequence = 1000 WHERE id = %s", [ids[1]])
    sql("UPDATE forecasts_entry SET sequence = 2 WHERE id = %s", [ids[2]])
    sql("UPDATE forecasts_entry SET sequence = 3 WHERE id = %s", [ids[1]])
    if recompute:
        rehash(ids[2], question.slug)
        rehash(ids[1], question.slug)


def edit_resolution(question, ids, recompute):
    sql("UPDATE forecasts_resolutionevent SET outcome = 0")
    if recompute:
        digest = resolution_hash(question.slug, ResolutionEvent.objects.get())
        sql("UPDATE forecasts_resolutionevent SET hash = %s", [digest])


def edit_rationale(question, ids, recompute):
    sql(
        "UPDATE forecasts_entry SET rationale = 'moved' WHERE id = %s",
        [ids[4]],
    )
    if recompute:
        rehash(ids[4], question.slug)


def change_salt(question, ids, recompute):
    # A salt is the entry's commitment: another one opens it to another forecast.
    sql("UPDATE forecasts_entry SET salt = %s WHERE id = %s", ["0" * 32, ids[2]])
    if recompute:
        rehash(ids[2], question.slug)


ATTACKS = [
    # (attack, the message expected without recomputing, and with it)
    (change_probability, "entry #2 .*hash does not match", "entry #3 .*previous hash"),
    (change_timestamp, "entry #2 .*hash does not match", "entry #3 .*previous hash"),
    (delete_entry, "entry #3 .*sequence 3 where 2", "entry #2 .*previous hash"),
    (insert_entry, "entry #6 .*hash does not match", "head says 5 entries"),
    (swap_sequences, "entry #2 .*hash does not match", "entry #2 .*previous hash"),
    (edit_resolution, "resolution v1 .*hash does not match", "head disagrees"),
    (edit_rationale, "entry #5 .*hash does not match", "head says 5 entries ending"),
    (change_salt, "entry #3 .*hash does not match", "entry #4 .*previous hash"),
]


@pytest.mark.parametrize("recompute", [False, True], ids=["plain", "rehashed"])
@pytest.mark.parametrize(
    "attack, plain, rehashed", ATTACKS, ids=[a[0].__name__ for a in ATTACKS]
)
def test_verify_ledger_names_the_first_tampered_row(
    chain, attack, plain, rehashed, recompute
):
    question, ids = chain
    assert verify_ledger() == []
    attack(question, ids, recompute)
    problems = verify_ledger()
    assert len(problems) == 1, problems  # the bystander question is still sound
    assert problems[0].startswith(f"question {question.slug}")
    assert re.search(rehashed if recompute else plain, problems[0]), problems[0]
