"""Each entry's hash commits to a random salt, so it cannot be opened by guessing.

The recipe here is written out from the README, independently of
forecasts.ledger: a verifier must be able to follow the README alone.
"""

import hashlib
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command

from forecasts.models import Entry
from forecasts.services import submit_forecast
from forecasts.verification import verify_ledger
from tests.factories import UserFactory
from tests.tampering import raw_sql

pytestmark = pytest.mark.core

SALT = re.compile(r"[0-9a-f]{32}")


def recipe_hash(payload: dict) -> str:
    text = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def stamp(moment) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def bp_text(bp: int) -> str:
    return f"{bp // 10_000}.{bp % 10_000:04d}"


def payload_of(slug: str, entry: Entry, prev_hash: str, salt=None) -> dict:
    payload = {
        "question": slug,
        "sequence": entry.sequence,
        "user": entry.user_id,
        "probabilities": [bp_text(bp) for bp in entry.probabilities_bp],
        "rationale": entry.rationale,
        "created_at": stamp(entry.created_at),
        "prev_hash": prev_hash,
    }
    return payload if salt is None else {**payload, "salt": salt}


def test_every_new_entry_gets_its_own_128_bit_salt(binary_question, user):
    entries = [
        submit_forecast(question=binary_question, user=user, probability=0.37)
        for _ in range(3)
    ]
    stored = list(Entry.objects.order_by("sequence").values_list("salt", flat=True))
    assert stored == [entry.salt for entry in entries]
    assert all(SALT.fullmatch(salt) for salt in stored)
    assert len(set(stored)) == 3  # the same forecast, three different salts


def test_the_salt_is_in_the_hashed_payload(binary_question, user, clock):
    entry = submit_forecast(
        question=binary_question, user=user, probability=0.72, rationale="Über 70%"
    )
    assert SALT.fullmatch(entry.salt)
    payload = payload_of(binary_question.slug, entry, "0" * 64, salt=entry.salt)
    assert payload["probabilities"] == ["0.2800", "0.7200"]
    assert entry.hash == recipe_hash(payload)
    assert entry.hash != recipe_hash(payload_of(binary_question.slug, entry, "0" * 64))


# The attack the review ran: every field but the forecast is public or pinned
# by polling the question's ledger head, so try every user, probability and
# microsecond near the head's time until the hash matches.
def brute_force(entry: Entry, slug: str, *, salt=None):
    """Return (user, P(yes) in bp) whose hash is the entry's, or None."""
    users = range(entry.user_id - 2, entry.user_id + 3)
    times = [
        stamp(entry.created_at + timedelta(microseconds=d)) for d in range(-10, 11)
    ]
    for user in users:
        for yes in range(10, 10_000, 10):  # every 0.1%: 999 values
            payload = {
                "question": slug,
                "sequence": entry.sequence,
                "user": user,
                "probabilities": [bp_text(10_000 - yes), bp_text(yes)],
                "rationale": "",
                "prev_hash": entry.prev_hash,
            }
            if salt is not None:
                payload["salt"] = salt
            for moment in times:
                if recipe_hash({**payload, "created_at": moment}) == entry.hash:
                    return user, yes
    return None


def test_guessing_a_salted_entry_finds_nothing(binary_question, user):
    entry = submit_forecast(question=binary_question, user=user, probability=0.37)
    # 5 users x 999 probabilities x 21 microseconds: the answer is among them.
    assert brute_force(entry, binary_question.slug) is None
    # Once the salt is published (at resolution) the same search opens it.
    found = brute_force(entry, binary_question.slug, salt=entry.salt)
    assert found == (user.pk, 3700)


def rewrite_as_before_salts(question) -> None:
    """Turn the question's entries into ones an older version wrote: no salt,
    hashed by the old recipe, chained, and the head following."""
    prev = "0" * 64
    for entry in Entry.objects.filter(question=question).order_by("sequence"):
        digest = recipe_hash(payload_of(question.slug, entry, prev))
        raw_sql(
            "UPDATE forecasts_entry SET salt = NULL, prev_hash = %s, hash = %s "
            "WHERE id = %s",
            [prev, digest, entry.pk],
        )
        prev = digest
    raw_sql(
        "UPDATE forecasts_ledgerhead SET entry_hash = %s WHERE question_id = %s",
        [prev, question.pk],
    )


def test_a_chain_begun_before_salts_continues_salted_and_verifies(
    binary_question, user, capsys
):
    for p in (0.2, 0.3):
        submit_forecast(question=binary_question, user=user, probability=p)
    rewrite_as_before_salts(binary_question)
    assert verify_ledger() == []
    later = submit_forecast(question=binary_question, user=user, probability=0.4)
    salts = list(Entry.objects.order_by("sequence").values_list("salt", flat=True))
    assert salts[:2] == [None, None] and SALT.fullmatch(salts[2])
    old_head = Entry.objects.get(sequence=2).hash
    assert later.prev_hash == old_head
    assert later.hash == recipe_hash(
        payload_of(binary_question.slug, later, old_head, salt=later.salt)
    )
    call_command("verify_ledger")
    assert "every chain is intact" in capsys.readouterr().out


@pytest.fixture
def three_entries(binary_question, clock):
    users = [UserFactory() for _ in range(2)]
    entries = []
    for i, p in enumerate([0.6, 0.7, 0.2]):
        clock.set(clock.moment + timedelta(minutes=5))
        entries.append(
            submit_forecast(question=binary_question, user=users[i % 2], probability=p)
        )
    return entries


@pytest.mark.parametrize("salt", ["0" * 32, None])
def test_verify_ledger_detects_a_changed_salt(three_entries, salt):
    middle = three_entries[1]
    raw_sql("UPDATE forecasts_entry SET salt = %s WHERE id = %s", [salt, middle.pk])
    problems = verify_ledger()
    assert len(problems) == 1
    assert f"entry #2 (id {middle.pk}): hash does not match" in problems[0]


def test_verify_ledger_refuses_a_salt_that_is_not_128_hex_bits(three_entries):
    # Even with the hash made to match: the service writes only token_hex(16).
    last = three_entries[2]
    question = last.question
    payload = payload_of(question.slug, last, last.prev_hash, salt="SALT")
    digest = recipe_hash(payload)
    raw_sql(
        "UPDATE forecasts_entry SET salt = 'SALT', hash = %s WHERE id = %s",
        [digest, last.pk],
    )
    raw_sql(
        "UPDATE forecasts_ledgerhead SET entry_hash = %s WHERE question_id = %s",
        [digest, question.pk],
    )
    problems = verify_ledger()
    assert len(problems) == 1 and "salt" in problems[0] and "#3" in problems[0]


def test_practice_set_entries_are_salted(db, settings):
    settings.COMMUNITY_STEP_SECONDS = 86400  # as in test_demo: fewer points
    call_command("load_demo", forecasters=3)
    salts = list(Entry.objects.values_list("salt", flat=True))
    assert salts and all(SALT.fullmatch(salt or "") for salt in salts)
    assert len(set(salts)) == len(salts)
    assert verify_ledger() == []
