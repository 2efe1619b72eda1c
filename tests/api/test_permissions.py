"""Who may do what: anonymous, a user, the forecaster (owner) and staff."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forecasts.services import submit_forecast
from tests.api.conftest import client_for, row_counts
from tests.factories import QuestionFactory, StaffFactory, UserFactory

ROLES = ("anon", "user", "owner", "staff")


@pytest.fixture
def world(db):
    """An open question the owner forecast on; a hidden one; a draft."""
    owner = UserFactory(username="owner")
    question = QuestionFactory(slug="open-q")
    hidden = QuestionFactory(slug="hidden-q", hide_community_until_forecast=True)
    QuestionFactory(slug="draft-q", publish=False)
    for q in (question, hidden):
        submit_forecast(question=q, user=owner, probability=0.3, rationale="secret")
    return {
        "anon": client_for(None),
        "user": client_for(UserFactory()),
        "owner": client_for(owner),
        "staff": client_for(StaffFactory()),
    }


def new_question() -> dict:
    now = timezone.now()
    return {
        "slug": "made-here",
        "title": "T",
        "body": "B",
        "resolution_criteria": "C",
        "open_time": now.isoformat(),
        "close_time": (now + timedelta(days=1)).isoformat(),
    }


WRITES = {
    "create question": (
        lambda c: c.post("/api/questions/", new_question(), format="json"),
        (401, 403, 403, 201),
    ),
    "publish": (
        lambda c: c.post("/api/questions/draft-q/publish/"),
        (401, 403, 403, 200),
    ),
    "resolve": (
        lambda c: c.post("/api/questions/open-q/resolve/", {"outcome": "No"}),
        (401, 403, 403, 200),
    ),
    "forecast": (
        lambda c: c.post("/api/questions/open-q/forecasts/", {"probability": 0.5}),
        (401, 201, 201, 201),
    ),
    "forecast on a draft": (
        lambda c: c.post("/api/questions/draft-q/forecasts/", {"probability": 0.5}),
        (401, 404, 404, 400),
    ),
    "revoke token": (lambda c: c.delete("/api/auth/token/"), (401, 204, 204, 204)),
}

READS = {
    "own entries": (
        lambda c: c.get("/api/questions/open-q/forecasts/"),
        (401, 200, 200, 200),
    ),
    "export": (lambda c: c.get("/api/export/ledger.json"), (401, 200, 200, 200)),
    "open ledger": (
        lambda c: c.get("/api/questions/open-q/ledger.json"),
        (403, 403, 403, 200),
    ),
    "draft": (lambda c: c.get("/api/questions/draft-q/"), (404, 404, 404, 200)),
    "hidden community": (
        lambda c: c.get("/api/questions/hidden-q/community/"),
        (403, 403, 200, 200),
    ),
}


def cells(table: dict) -> list:
    return [
        pytest.param(call, role, status, id=f"{action}-{role}")
        for action, (call, expected) in table.items()
        for role, status in zip(ROLES, expected, strict=True)
    ]


@pytest.mark.parametrize("call, role, status", cells(WRITES))
def test_write_permissions(world, call, role, status):
    client = world[role]
    client.default_format = "json"
    before = row_counts()
    assert call(client).status_code == status
    if status >= 400:
        assert row_counts() == before


@pytest.mark.parametrize("call, role, status", cells(READS))
def test_private_read_permissions(world, call, role, status):
    assert call(world[role]).status_code == status


def test_nobody_but_the_owner_sees_the_owners_rationale(world):
    for role in ("anon", "user", "staff"):
        client = world[role]
        for url in (
            "/api/questions/",
            "/api/questions/open-q/",
            "/api/questions/open-q/scores/",
            "/api/leaderboard/",
        ):
            body = client.get(url).content.decode()
            assert "secret" not in body and "owner" not in body
        if role != "staff":
            listed = client.get("/api/questions/open-q/forecasts/")
            assert "secret" not in listed.content.decode()
    assert (
        "secret"
        in world["owner"].get("/api/questions/open-q/forecasts/").content.decode()
    )


def test_the_user_export_holds_no_one_elses_entries(world):
    body = b"".join(world["user"].get("/api/export/ledger.json").streaming_content)
    assert b"secret" not in body
