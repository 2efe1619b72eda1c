"""Who sees an entry's salt: its author at once, everyone after resolution.

Before a question resolves, nobody else (staff included) reaches another
user's salt through any page, API or export; only the backup carries it.
"""

import csv
import hashlib
import io
import json
import re
from pathlib import Path

import pytest
from django.test import Client

from forecasts.models import Entry
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, StaffFactory, UserFactory

SALT = re.compile(r"[0-9a-f]{32}")


def readme_entry_hash(e: dict, prev_hash: str) -> str:
    """The README's recipe, verbatim: the salt is hashed when the entry has one."""
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


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def logged_in(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def people(db):
    return {
        "owner": UserFactory(username="owner"),
        "other": UserFactory(username="other"),
        "staff": StaffFactory(username="staffer"),
        "admin": UserFactory(username="root", is_staff=True, is_superuser=True),
    }


@pytest.fixture
def open_question(people):
    question = QuestionFactory(slug="open-q")
    for p in (0.37, 0.41):
        submit_forecast(question=question, user=people["owner"], probability=p)
    submit_forecast(question=question, user=people["staff"], probability=0.8)
    submit_forecast(question=question, user=people["admin"], probability=0.6)
    return question


def salts_of(user) -> list[str]:
    return list(Entry.objects.filter(user=user).values_list("salt", flat=True))


def test_the_author_sees_their_salt_when_forecasting_and_listing(user):
    question = QuestionFactory()
    client = logged_in(user)
    posted = client.post(
        f"/api/questions/{question.slug}/forecasts/",
        {"probability": 0.37},
        content_type="application/json",
    ).json()
    assert SALT.fullmatch(posted["salt"])
    assert posted["salt"] == Entry.objects.get(pk=posted["id"]).salt
    listed = client.get(f"/api/questions/{question.slug}/forecasts/").json()
    assert [e["salt"] for e in listed["results"]] == [posted["salt"]]


def test_the_author_exports_their_own_salts(open_question, people):
    client = logged_in(people["owner"])
    data = json.loads(body(client.get("/api/export/ledger.json")))
    assert [e["salt"] for e in data["entries"]] == salts_of(people["owner"])
    assert all(SALT.fullmatch(e["salt"]) for e in data["entries"])
    rows = list(csv.DictReader(io.StringIO(body(client.get("/api/export/ledger.csv")))))
    assert [row["salt"] for row in rows] == salts_of(people["owner"])


READS = [
    "/api/questions/",
    "/api/questions/open-q/",
    "/api/questions/open-q/forecasts/",
    "/api/questions/open-q/community/",
    "/api/questions/open-q/scores/",
    "/api/questions/open-q/ledger.json",
    "/api/export/ledger.json",
    "/api/export/ledger.csv",
    "/api/users/owner/scores/",
    "/api/users/owner/calibration/",
    "/questions/",
    "/questions/open-q/",
    "/users/owner/",
    "/admin/forecasts/entry/",
]


@pytest.mark.parametrize("reader", [None, "other", "staff", "admin"])
def test_before_resolution_nobody_else_reaches_a_salt(open_question, people, reader):
    owner_salts = salts_of(people["owner"])
    assert len(owner_salts) == 2 and all(SALT.fullmatch(s) for s in owner_salts)
    client = logged_in(people.get(reader))
    entry = Entry.objects.filter(user=people["owner"]).first()
    reads = [*READS, f"/admin/forecasts/entry/{entry.pk}/change/"]
    for url in reads:
        text = body(client.get(url))
        assert not any(salt in text for salt in owner_salts), url


@pytest.mark.parametrize("reader", ["staff", "admin"])
def test_staff_reads_carry_their_own_salts_only(open_question, people, reader):
    client = logged_in(people[reader])
    mine = salts_of(people[reader])
    ledger = json.loads(body(client.get("/api/questions/open-q/ledger.json")))
    exported = json.loads(body(client.get("/api/export/ledger.json")))
    for data in (ledger, exported):
        shown = {e["user"]: e["salt"] for e in data["entries"]}
        assert shown[people[reader].pk] == mine[0]
        assert shown[people["owner"].pk] is None
        # Still marked as salted: the old recipe does not apply to them.
        assert all(e["salted"] for e in data["entries"])


@pytest.mark.parametrize("annul", [False, True])
def test_after_resolution_anyone_recomputes_every_hash_from_ledger_json(
    open_question, people, annul
):
    submit_forecast(
        question=open_question,
        user=people["other"],
        probability=0.0125,
        rationale='Çа va — 🚀 "quoted"',
    )
    outcome = {"annulled": True, "note": "Void."} if annul else {"outcome": 1}
    resolve_question(question=open_question, user=people["staff"], **outcome)
    data = json.loads(body(Client().get("/api/questions/open-q/ledger.json")))
    entries = data["entries"]
    assert len(entries) == 5
    assert all(e["salted"] and SALT.fullmatch(e["salt"]) for e in entries)
    prev = "0" * 64
    for e in entries:
        assert e["prev_hash"] == prev
        assert readme_entry_hash(e, prev) == e["hash"]
        prev = e["hash"]
    assert data["head"]["entry_hash"] == prev


def test_after_resolution_staff_export_carries_every_salt_of_it(open_question, people):
    resolve_question(question=open_question, user=people["staff"], outcome=0)
    still_open = QuestionFactory(slug="still-open")
    hidden = submit_forecast(question=still_open, user=people["owner"], probability=0.5)
    data = json.loads(body(logged_in(people["staff"]).get("/api/export/ledger.json")))
    shown = {(e["question"], e["sequence"]): e["salt"] for e in data["entries"]}
    for entry in Entry.objects.filter(question=open_question):
        assert shown[("open-q", entry.sequence)] == entry.salt
    assert shown[("still-open", 1)] is None and hidden.salt not in json.dumps(data)


README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_snippet_verifies_a_resolved_questions_ledger_json(
    open_question, people, tmp_path, monkeypatch
):
    resolve_question(question=open_question, user=people["staff"], outcome=1)
    (tmp_path / "ledger.json").write_bytes(
        body(Client().get("/api/questions/open-q/ledger.json")).encode()
    )
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.DOTALL)
    (snippet,) = [b for b in blocks if "def entry_hash" in b]
    monkeypatch.chdir(tmp_path)
    exec(snippet, {})  # asserts every link and hash, and the head
    # The same snippet refuses a ledger whose salt was changed.
    data = json.loads((tmp_path / "ledger.json").read_text())
    data["entries"][1]["salt"] = "0" * 32
    (tmp_path / "ledger.json").write_text(json.dumps(data))
    with pytest.raises(AssertionError):
        exec(snippet, {})
