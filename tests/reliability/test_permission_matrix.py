"""Who may do what on the pages, the admin and the API cells tests/api lacks.

Roles, as in tests/api/test_permissions.py: anonymous, "user" (another user),
"owner" (the forecaster whose entries are private until resolution) and
"staff" (the admin `make admin` creates: is_staff and is_superuser). Every
cell asserts the status; a read with private content asserts who sees it,
and a write asserts whether any application table changed.

The API's cells in tests/api/test_permissions.py (44) are not repeated: create
question, publish, resolve, forecast, forecast on a draft, revoke token, a
draft, a hidden community history. Own entries, the JSON export and a
ledger.json before resolution are here again only to assert who sees the
owner's rationale in them, which the API matrix checks for statuses.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token

from forecasts.services import resolve_question, score_resolution, submit_forecast
from tests.api.conftest import fresh_caches  # noqa: F401  (autouse)
from tests.api.test_permissions import READS as API_READS
from tests.api.test_permissions import ROLES
from tests.api.test_permissions import WRITES as API_WRITES
from tests.factories import (
    QuestionFactory,
    StaffFactory,
    UserFactory,
    admin_question_form,
)
from tests.reliability.database_state import changed_tables, snapshot

PASSWORD = "correct horse 42"
SECRET = "secret-rationale"
REVEALED = "revealed-rationale"


@dataclass(frozen=True)
class Read:
    call: Callable  # (client, world) -> response
    statuses: tuple  # per role, in ROLES order
    private: str = ""  # text that only the roles in `sees` may get
    sees: tuple = ()


@dataclass(frozen=True)
class Write:
    call: Callable
    statuses: tuple
    writers: tuple  # the roles whose request changes the database


def get(url: str) -> Callable:
    return lambda client, world: client.get(url.format(**world))


def post(url: str, data: dict | None = None) -> Callable:
    return lambda client, world: client.post(url.format(**world), data or {})


def api_get(url: str) -> Callable:
    return lambda client, world: client.get(url, **world["api_auth"])


def admin_action(action: str, extra: dict | None = None) -> Callable:
    def call(client, world):
        data = {"action": action, "_selected_action": [world["draft_pk"]]}
        if action == "resolve":
            data["_selected_action"] = [world["open_pk"]]
        return client.post("/admin/forecasts/question/", {**data, **(extra or {})})

    return call


OWNER_ONLY, OWNER_AND_STAFF = ("owner",), ("owner", "staff")
LOGGED_IN = ("user", "owner", "staff")

READS = {
    # Pages
    "question page: the owner's entries before resolution": Read(
        get("/questions/open-q/"), (200, 200, 200, 200), SECRET, OWNER_ONLY
    ),
    "question page: a community hidden until you forecast": Read(
        get("/questions/hidden-q/"),
        (200, 200, 200, 200),
        'id="community-value"',
        OWNER_AND_STAFF,
    ),
    "community chart hidden until you forecast": Read(
        get("/questions/hidden-q/community.svg"), (404, 404, 200, 200)
    ),
    "draft question page": Read(get("/questions/draft-q/"), (404, 404, 404, 200)),
    "question page: the resolve panel": Read(
        get("/questions/open-q/"),
        (200, 200, 200, 200),
        'id="resolve-panel"',
        ("staff",),
    ),
    "resolve page": Read(get("/questions/open-q/resolve/"), (403, 403, 403, 200)),
    "profile: standing forecasts": Read(
        get("/users/owner/"), (200, 200, 200, 200), "open-q/", OWNER_ONLY
    ),
    "delete-account page": Read(get("/accounts/delete/"), (302, 200, 200, 200)),
    "password change page": Read(
        get("/accounts/password_change/"), (302, 200, 200, 200)
    ),
    "e-mail settings page": Read(get("/notifications/settings/"), (302, 200, 200, 200)),
    # API cells tests/api does not have
    "API: the owner's entries before resolution": Read(
        api_get("/api/questions/open-q/forecasts/"),
        (401, 200, 200, 200),
        SECRET,
        OWNER_ONLY,
    ),
    "API: CSV export": Read(
        api_get("/api/export/ledger.csv"), (401, 200, 200, 200), SECRET, OWNER_AND_STAFF
    ),
    "API: JSON export": Read(
        api_get("/api/export/ledger.json"),
        (401, 200, 200, 200),
        SECRET,
        OWNER_AND_STAFF,
    ),
    "API: ledger.json before resolution, staff": Read(
        api_get("/api/questions/open-q/ledger.json"),
        (403, 403, 403, 200),
        SECRET,
        ("staff",),
    ),
    "API: ledger.json once resolved is public": Read(
        api_get("/api/questions/resolved-q/ledger.json"),
        (200, 200, 200, 200),
        REVEALED,
        ("anon", *LOGGED_IN),
    ),
    "API: question scores before resolution": Read(
        api_get("/api/questions/open-q/scores/"), (200, 200, 200, 200), "owner", ()
    ),
    # Admin
    "admin index": Read(get("/admin/"), (302, 302, 302, 200)),
    "admin: entries": Read(get("/admin/forecasts/entry/"), (302, 302, 302, 200)),
    "admin: an entry with its rationale": Read(
        get("/admin/forecasts/entry/{entry_pk}/change/"),
        (302, 302, 302, 200),
        SECRET,
        ("staff",),
    ),
    "admin: users and their e-mail addresses": Read(
        get("/admin/accounts/user/"),
        (302, 302, 302, 200),
        "owner@example.com",
        ("staff",),
    ),
    "admin: scores": Read(get("/admin/forecasts/score/"), (302, 302, 302, 200)),
    "admin: e-mail claims": Read(
        get("/admin/forecasts/notification/"), (302, 302, 302, 200)
    ),
    "admin: resolve action form": Read(
        admin_action("resolve"), (302, 302, 302, 200), 'name="apply"', ("staff",)
    ),
}

QUESTION_FORM = admin_question_form()
RESOLUTION = {"outcome": "1", "step": "confirm", "version": "0"}
NEW_PASSWORD = {
    "old_password": PASSWORD,
    "new_password1": "another long phrase",
    "new_password2": "another long phrase",
}

WRITES = {
    # Pages
    "forecast on the question page": Write(
        post("/questions/open-q/", {"probability": "60"}),
        (302, 302, 302, 302),
        LOGGED_IN,
    ),
    "forecast on a draft's page": Write(
        post("/questions/draft-q/", {"probability": "60"}), (404, 404, 404, 400), ()
    ),
    "resolve on the resolve page": Write(
        post("/questions/open-q/resolve/", RESOLUTION), (403, 403, 403, 302), ("staff",)
    ),
    "delete your account on its page": Write(
        post("/accounts/delete/", {"password": PASSWORD}),
        (302, 302, 302, 302),
        LOGGED_IN,
    ),
    "change your password": Write(
        post("/accounts/password_change/", NEW_PASSWORD),
        (302, 302, 302, 302),
        LOGGED_IN,
    ),
    "save e-mail settings": Write(
        post("/notifications/settings/", {"resolution_emails": "on"}),
        (302, 302, 302, 302),
        LOGGED_IN,
    ),
    # API cells tests/api does not have
    "API: delete your account": Write(
        lambda client, world: client.delete(
            "/api/auth/account/",
            {"password": PASSWORD},
            content_type="application/json",
            **world["api_auth"],
        ),
        (401, 204, 204, 204),
        LOGGED_IN,
    ),
    # Admin
    "admin: create a question": Write(
        post("/admin/forecasts/question/add/", QUESTION_FORM),
        (302, 302, 302, 302),
        ("staff",),
    ),
    "admin: publish action": Write(
        admin_action("publish"), (302, 302, 302, 302), ("staff",)
    ),
    "admin: resolve action": Write(
        admin_action("resolve", {"apply": "1", "outcome": "1", "version": "0"}),
        (302, 302, 302, 302),
        ("staff",),
    ),
    "admin: change an entry": Write(
        post("/admin/forecasts/entry/{entry_pk}/change/", {"rationale": "edited"}),
        (302, 302, 302, 403),
        (),
    ),
    "admin: delete an entry": Write(
        post("/admin/forecasts/entry/{entry_pk}/delete/", {"post": "yes"}),
        (302, 302, 302, 403),
        (),
    ),
    # Entry.user is PROTECT: the admin lists the entries that block it, deletes nothing.
    "admin: delete a forecaster": Write(
        post("/admin/accounts/user/{owner_pk}/delete/", {"post": "yes"}),
        (302, 302, 302, 200),
        (),
    ),
}


@pytest.fixture
def people(db):
    return {
        "anon": None,
        "user": UserFactory(username="other"),
        "owner": UserFactory(username="owner"),
        "staff": StaffFactory(username="boss", is_superuser=True),
    }


@pytest.fixture
def world(people):
    """The owner's private entries on an open and a hidden question; a draft; a
    resolved and scored question whose ledger is public."""
    owner, staff = people["owner"], people["staff"]
    open_q = QuestionFactory(slug="open-q")
    hidden = QuestionFactory(slug="hidden-q", hide_community_until_forecast=True)
    draft = QuestionFactory(slug="draft-q", publish=False)
    resolved = QuestionFactory(slug="resolved-q")
    entry = submit_forecast(
        question=open_q, user=owner, probability=0.3, rationale=SECRET
    )
    submit_forecast(question=hidden, user=owner, probability=0.4, rationale=SECRET)
    submit_forecast(question=resolved, user=owner, probability=0.6, rationale=REVEALED)
    event = resolve_question(question=resolved, user=staff, outcome=1)
    score_resolution(resolution_id=event.pk)
    return {
        "open_pk": open_q.pk,
        "draft_pk": draft.pk,
        "entry_pk": entry.pk,
        "owner_pk": owner.pk,
    }


def client_as(people: dict, world: dict, role: str) -> tuple[Client, dict]:
    """Return a logged-in client for the pages and the API token headers."""
    client, person = Client(), people[role]
    world = {**world, "api_auth": {}}
    if person is not None:
        client.force_login(person)
        token, _ = Token.objects.get_or_create(user=person)
        world["api_auth"] = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    return client, world


def cells(table: dict):
    for action, cell in table.items():
        for role, status in zip(ROLES, cell.statuses, strict=True):
            yield pytest.param(cell, role, status, id=f"{action} | {role}")


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def assert_refusal_is_a_login_redirect(response, refused: bool) -> None:
    if response.status_code == 302 and refused:
        assert "login" in response.url, response.url


@pytest.mark.parametrize("cell, role, status", list(cells(READS)))
def test_private_reads(people, world, cell, role, status):
    client, context = client_as(people, world, role)
    before = snapshot()
    response = cell.call(client, context)
    assert response.status_code == status
    assert_refusal_is_a_login_redirect(response, refused=True)
    if cell.private and status == 200:
        assert (cell.private in body(response)) == (role in cell.sees)
    assert changed_tables(before, snapshot()) == []


@pytest.mark.parametrize("cell, role, status", list(cells(WRITES)))
def test_writes(people, world, cell, role, status):
    client, context = client_as(people, world, role)
    before = snapshot()
    response = cell.call(client, context)
    assert response.status_code == status
    wrote = changed_tables(before, snapshot()) != []
    assert wrote == (role in cell.writers)
    assert_refusal_is_a_login_redirect(response, refused=not wrote)


def test_deleting_an_account_deletes_only_the_callers(people, world):
    client, _ = client_as(people, world, "user")
    client.post("/accounts/delete/", {"password": PASSWORD})
    owner = type(people["owner"]).objects.get(pk=world["owner_pk"])
    assert owner.username == "owner" and owner.is_active


def test_the_matrix_size():
    api = sum(len(expected) for _, expected in {**API_WRITES, **API_READS}.values())
    here = len(ROLES) * (len(READS) + len(WRITES))
    assert (api, here) == (44, 4 * 36)
