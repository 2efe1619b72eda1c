"""The streaming exports answer byte for byte what the old exports answered.

The expected bytes come from tests/api/export_reference.py, a frozen copy of
the code path before the exports streamed, run on the same data; the answers
come through the API as a client reads them, to the last byte.
"""

import base64
import json

import numpy as np
import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from forecasts.services import resolve_question, submit_forecast
from forecasts.services.community import store_community_points
from tests.api import export_reference as reference
from tests.factories import QuestionFactory, StaffFactory, UserFactory

RATIONALES = [
    'ünï "quoted", with a comma',
    "two\nlines",
    "=SUM(A1)",
    "sep\u2028para\u2029graph",
    "",
    "+1 and @someone",
]


def body(response) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


@pytest.fixture
def world(db, django_capture_on_commit_callbacks):
    """Resolved binary and multiple-choice questions, an annulled one, an open one."""
    staff = StaffFactory(username="staff")
    people = [UserFactory(username=name) for name in ("-alice", "zoë", "bob", "@carol")]
    idle = UserFactory(username="idle")
    binary = QuestionFactory(slug="b1")
    choice = QuestionFactory(slug="mc", kind="multiple_choice")
    annulled = QuestionFactory(slug="ann")
    still_open = QuestionFactory(slug="open")
    for i in range(12):
        who = people[i % len(people)]
        why = RATIONALES[i % len(RATIONALES)]
        submit_forecast(
            question=binary,
            user=who,
            probability=round(0.05 + 0.07 * i, 2),
            rationale=why,
        )
        submit_forecast(
            question=choice,
            user=who,
            probabilities=[0.2, round(0.3 + 0.01 * i, 2), round(0.5 - 0.01 * i, 2)],
            rationale=why,
        )
        submit_forecast(question=annulled, user=who, probability=0.5, rationale=why)
        submit_forecast(
            question=still_open,
            user=who,
            probability=round(0.9 - 0.05 * i, 2),
            rationale=why,
        )
    # Two community points after the entries (the clock would store them later).
    soon = timezone.now().timestamp()
    for question in (binary, choice):
        store_community_points(question, np.array([soon + 3600.0, soon + 7200.0]))
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=binary, user=staff, outcome=1, note="Yes, «so».")
        resolve_question(question=choice, user=staff, outcome=2)
        resolve_question(question=annulled, user=staff, annulled=True, note="Void")
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(
            question=choice, user=staff, outcome=0, re_resolve=True, note="Fixed"
        )
    return {
        "staff": staff,
        "people": people,
        "idle": idle,
        "questions": [binary, choice, annulled, still_open],
    }


def client_of(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def viewers(world):
    return [world["staff"], *world["people"], world["idle"]]


def test_the_csv_export_is_byte_identical(world):
    for user in viewers(world):
        got = body(client_of(user).get("/api/export/ledger.csv"))
        assert got == reference.ledger_csv(user), user.username
    staff_csv = body(client_of(world["staff"]).get("/api/export/ledger.csv"))
    # Formula-like text defused, a quoted field with a newline kept whole.
    assert b"'=SUM(A1)" in staff_csv and b"'-alice" in staff_csv
    assert b'"two\nlines"' in staff_csv


def test_the_json_export_is_byte_identical(world):
    for user in viewers(world):
        got = body(client_of(user).get("/api/export/ledger.json"))
        assert got == reference.ledger_json(user), user.username
    staff_export = json.loads(
        body(client_of(world["staff"]).get("/api/export/ledger.json"))
    )
    assert len(staff_export["entries"]) == 48


def test_the_question_ledger_is_byte_identical(world):
    resolved = world["questions"][:3]
    for question in resolved:
        for user in [None, *viewers(world)]:
            response = client_of(user).get(
                f"/api/questions/{question.slug}/ledger.json"
            )
            assert response.status_code == 200
            assert response["Content-Type"] == "application/json"
            assert body(response) == reference.question_ledger_json(question, user)
    still_open = world["questions"][3]
    staff = world["staff"]
    got = body(client_of(staff).get("/api/questions/open/ledger.json"))
    assert got == reference.question_ledger_json(still_open, staff)
    # The re-resolved question shows both versions and the latest scores.
    data = json.loads(body(client_of(None).get("/api/questions/mc/ledger.json")))
    assert [r["version"] for r in data["resolutions"]] == [1, 2]
    assert data["scoring"]["version"] == 2 and len(data["scores"]) == 4
    assert len(data["community"]) > 0


def test_the_open_question_ledger_stays_closed_to_others(world):
    for user in [None, *world["people"], world["idle"]]:
        response = client_of(user).get("/api/questions/open/ledger.json")
        assert response.status_code == 403
        assert b"sep" not in body(response)


def _encoded(value):
    """A backup's times are ISO text; its bytes (running sums) base64."""
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(value).decode()
    return value.isoformat()


def test_the_backup_command_writes_the_same_lines(world, tmp_path):
    """export_ledger writes what the row-by-row backup wrote (bar its clock)."""
    from forecasts.selectors import backup as tables

    path = tmp_path / "backup.jsonl"
    call_command("export_ledger", str(path))
    lines = path.read_text(encoding="utf-8").split("\n")[:-1]
    header, *rest = lines
    expected = []
    counts = {}
    for model in tables.backup_models():
        columns = tables.table_columns(model)
        label = model._meta.label_lower
        expected.append(json.dumps({"table": label, "columns": columns}))
        rows = model._base_manager.order_by("pk").values_list(*columns)
        for row in rows:
            expected.append(json.dumps(row, ensure_ascii=False, default=_encoded))
        counts[label] = rows.count()
    expected.append(json.dumps({"end": counts}))
    assert json.loads(header)["format"] == "forecast-ledger-backup"
    assert rest == expected


def test_continuous_entries_stream_as_the_reference_writes_them(
    db, django_capture_on_commit_callbacks
):
    staff = StaffFactory(username="staff")
    tokens = QuestionFactory(
        slug="tokens",
        kind="numeric",
        range_min=1000.0,
        range_max=1e6,
        scale="log",
        open_lower_bound=True,
        open_upper_bound=True,
        unit="tokens",
    )
    for i, name in enumerate(("ada", "bo")):
        submit_forecast(
            question=tokens,
            user=UserFactory(username=name),
            quantiles=[[0.1, 2000 + i], [0.5, 31622.78], [0.9, 300_000]],
            rationale=RATIONALES[i],
        )
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=tokens, user=staff, value=131072)

    assert body(client_of(staff).get("/api/export/ledger.csv")) == (
        reference.ledger_csv(staff)
    )
    assert body(client_of(staff).get("/api/export/ledger.json")) == (
        reference.ledger_json(staff)
    )
    got = body(client_of(None).get("/api/questions/tokens/ledger.json"))
    assert got == reference.question_ledger_json(tokens, None)
    data = json.loads(got)
    assert data["resolutions"][0]["value"] == "131072.0"
    assert len(data["entries"][0]["probabilities"]) == 201
    assert all(score["crps"] is not None for score in data["scores"])
