"""Ledger exports: mine (staff: all) as CSV and JSON, and a resolved question's."""

import csv
import hashlib
import io
import json

import pytest

from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory


def entry_hash(e: dict, prev_hash: str) -> str:
    """The README's recipe, verbatim."""
    payload = {
        "question": e["question"],
        "sequence": e["sequence"],
        "user": e["user"],
        "probabilities": e["probabilities"],
        "rationale": e["rationale"],
        "created_at": e["created_at"],
        "prev_hash": prev_hash,
    }
    if e.get("salt") is not None:
        payload["salt"] = e["salt"]
    text = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


EVENT_KEYS = (
    "question",
    "version",
    "outcome",
    "annulled",
    "note",
    "source_url",
    "effective_at",
    "created_at",
    "resolved_by",
)


def event_hash(e: dict, prev_hash: str) -> str:
    payload = {key: e[key] for key in EVENT_KEYS} | {"prev_hash": prev_hash}
    text = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(records: list[dict], hasher) -> None:
    prev = "0" * 64
    for record in records:
        assert record["prev_hash"] == prev and hasher(record, prev) == record["hash"]
        prev = record["hash"]


def links(records: list[dict]) -> bool:
    """Whether each record names the one before it (checkable without salts)."""
    hashes = ["0" * 64] + [r["hash"] for r in records]
    return all(r["prev_hash"] == hashes[i] for i, r in enumerate(records))


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.fixture
def ledger(db, staff, user, django_capture_on_commit_callbacks):
    """One resolved question: user says 0.7 then 0.4 ('=cmd' rationale), other 0.2."""
    question = QuestionFactory(slug="r2")
    other = UserFactory(username="other")
    submit_forecast(question=question, user=user, probability=0.7, rationale="ünï")
    submit_forecast(question=question, user=other, probability=0.2, rationale="mine")
    submit_forecast(question=question, user=user, probability=0.4, rationale="=cmd")
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=question, user=staff, outcome=1, note="Out.")
    open_question = QuestionFactory(slug="still-open")
    submit_forecast(question=open_question, user=other, probability=0.5)
    return question


def test_the_json_export_holds_my_entries_only(ledger, user, user_api):
    response = user_api.get("/api/export/ledger.json")
    assert response["Content-Disposition"] == 'attachment; filename="ledger.json"'
    data = json.loads(streamed(response))
    assert [e["rationale"] for e in data["entries"]] == ["ünï", "=cmd"]
    assert {e["user"] for e in data["entries"]} == {user.pk}
    assert [e["probabilities"] for e in data["entries"]] == [
        ["0.3000", "0.7000"],
        ["0.6000", "0.4000"],
    ]
    assert [(r["question"], r["outcome"]) for r in data["resolutions"]] == [("r2", 1)]


def test_staff_export_everything_and_the_chains_verify(ledger, staff_api):
    data = json.loads(streamed(staff_api.get("/api/export/ledger.json")))
    assert len(data["entries"]) == 4
    verify([e for e in data["entries"] if e["question"] == "r2"], entry_hash)
    # Another user's entry on an open question: linked, but its salt withheld.
    (unresolved,) = [e for e in data["entries"] if e["question"] == "still-open"]
    assert links([unresolved]) and unresolved["salted"]
    assert unresolved["salt"] is None
    verify(data["resolutions"], event_hash)


def test_the_csv_export_has_a_header_and_defuses_formulas(ledger, user_api):
    response = user_api.get("/api/export/ledger.csv", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(streamed(response).decode())))
    assert [row["sequence"] for row in rows] == ["1", "3"]
    assert json.loads(rows[0]["probabilities"]) == ["0.3000", "0.7000"]
    assert [row["rationale"] for row in rows] == ["ünï", "'=cmd"]


def test_exports_need_a_login(db, anon):
    assert anon.get("/api/export/ledger.json").status_code == 401
    assert anon.get("/api/export/ledger.csv").status_code == 401


def test_a_resolved_questions_ledger_is_public_and_verifies(ledger, anon):
    data = json.loads(streamed(anon.get("/api/questions/r2/ledger.json")))
    assert data["question"]["options"] == ["No", "Yes"]
    assert data["head"]["entries"] == 3
    verify(data["entries"], entry_hash)
    verify(data["resolutions"], event_hash)
    assert data["head"]["entry_hash"] == data["entries"][-1]["hash"]
    assert data["scoring"] == {"version": 1, "state": "done"}
    finals = {s["username"]: s["brier"] for s in data["scores"]}
    # Final forecasts on a Yes: 0.4 -> 2 * 0.6^2 = 0.72; 0.2 -> 2 * 0.8^2 = 1.28.
    assert finals["other"] == pytest.approx(1.28)
    assert len(finals) == 2 and pytest.approx(0.72) in finals.values()


def test_an_open_questions_ledger_is_staff_only(ledger, anon, user_api, staff_api):
    # Other users' entries and rationales stay private until resolution.
    for client in (anon, user_api):
        response = client.get("/api/questions/still-open/ledger.json")
        assert response.status_code == 403
        assert "mine" not in response.content.decode()
    assert staff_api.get("/api/questions/still-open/ledger.json").status_code == 200


@pytest.mark.parametrize("n", [1, 25])
def test_exports_take_a_fixed_number_of_queries(
    db,
    n,
    staff,
    staff_api,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    for _ in range(n):
        question = QuestionFactory()
        submit_forecast(question=question, user=UserFactory(), probability=0.3)
        with django_capture_on_commit_callbacks(execute=True):
            resolve_question(question=question, user=staff, outcome=0)
    # Token, entries, events.
    with django_assert_max_num_queries(3):
        data = json.loads(streamed(staff_api.get("/api/export/ledger.json")))
    assert len(data["entries"]) == n
    # Token, question, tags, events, latest event, entries, community, scores.
    with django_assert_max_num_queries(8):
        ledger = staff_api.get(f"/api/questions/{question.slug}/ledger.json")
        assert len(json.loads(streamed(ledger))["entries"]) == 1
