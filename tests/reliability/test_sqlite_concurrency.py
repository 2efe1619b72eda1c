"""The embedded default under concurrent use: `make run`'s server on SQLite.

`make run` starts `manage.py runserver` (threaded) with the base settings on a
SQLite file. Here the same command serves a fresh SQLite file on a spare port,
16 forecasters send 10 forecasts each at once over HTTP, and every one must be
acknowledged and found in the ledger: sequences 1, 2, 3, … per question, and
every chain verified by `manage.py verify_ledger`. No PostgreSQL or Redis.
"""

import itertools
import sqlite3
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from tests.production.http_scenario import PASSWORD, create_staff
from tests.production.processes import spare_port, start, stop, wait_until
from tests.reliability.deployment import Api
from tests.reliability.load import forecaster, latency_figures, run_all
from tests.reliability.test_postgres_restart import manage

CLIENTS = 16
FORECASTS = 10
QUESTIONS = 4
# Sign-ups and tokens come from one address here; forecasts keep the default.
GENEROUS_RATE = "1000/s"


@pytest.fixture
def sqlite_site(tmp_path):
    """Yield (url, env, database path) of `make run`'s server on a new SQLite file."""
    database = tmp_path / "db.sqlite3"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{database}",
        "REDIS_URL": "",
        "THROTTLE_SIGNUP_RATE": GENEROUS_RATE,
        "THROTTLE_TOKEN_RATE": GENEROUS_RATE,
    }
    manage(env, "migrate", "--noinput")
    create_staff(env)
    port = spare_port()
    log = tmp_path / "runserver.log"
    command = [
        sys.executable,
        "manage.py",
        "runserver",
        "--noreload",
        f"127.0.0.1:{port}",
    ]
    server = start(command, env, log)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(
            lambda: (
                server.poll() is not None
                or Api(url).status("GET", "/api/questions/") == 200
            ),
            what="runserver to answer",
        )
        assert server.poll() is None, log.read_text()
        yield url, env, database
    finally:
        stop(server)
        # Shown only when the test fails.
        print(log.read_text()[-20_000:])


def token(anon: Api, username: str) -> str:
    body = {"username": username, "password": PASSWORD}
    return anon.ok("POST", "/api/auth/token/", body)["token"]


def open_questions(staff: Api) -> list[str]:
    now = datetime.now(UTC)
    slugs = [f"sqlite-load-{i}" for i in range(QUESTIONS)]
    for slug in slugs:
        question = {
            "slug": slug,
            "title": f"Does SQLite hold {slug}?",
            "body": "Asked by the SQLite concurrency test.",
            "resolution_criteria": "Yes if it does.",
            "open_time": (now - timedelta(days=1)).isoformat(),
            "close_time": (now + timedelta(days=1)).isoformat(),
        }
        staff.ok("POST", "/api/questions/", question)
    return slugs


def forecasters(url: str) -> list[tuple[Api, str]]:
    anon = Api(url)
    clients = []
    for n in range(CLIENTS):
        username = f"colleague-{n}"
        anon.ok(
            "POST", "/api/auth/signup/", {"username": username, "password": PASSWORD}
        )
        clients.append((Api(url, token(anon, username)), username))
    return clients


def stored_entries(database) -> dict[str, dict[int, tuple]]:
    """Return each question's entries by sequence: (username, P(yes) bp, hash)."""
    with sqlite3.connect(database) as db:
        rows = db.execute(
            "SELECT q.slug, e.sequence, u.username, e.p_yes_bp, e.hash "
            "FROM forecasts_entry e JOIN forecasts_question q ON q.id = e.question_id "
            "JOIN accounts_user u ON u.id = e.user_id"
        ).fetchall()
    stored = {}
    for slug, sequence, *rest in rows:
        stored.setdefault(slug, {})[sequence] = tuple(rest)
    return stored


def test_16_clients_forecasting_at_once_on_sqlite_all_succeed(sqlite_site, figures):
    url, env, database = sqlite_site
    slugs = open_questions(Api(url, token(Api(url), "staff")))
    jobs = [
        partial(forecaster, api, username, slugs, FORECASTS, seed)
        for seed, (api, username) in enumerate(forecasters(url))
    ]
    began = time.perf_counter()
    acks = list(itertools.chain(*run_all(jobs)))
    seconds = time.perf_counter() - began
    statuses = Counter(ack.status for ack in acks)
    figures.update(
        {
            "clients × forecasts": f"{CLIENTS} × {FORECASTS}",
            "statuses": dict(statuses),
            "seconds": round(seconds, 1),
            **latency_figures(acks),
        }
    )

    assert statuses == {201: CLIENTS * FORECASTS}
    stored = stored_entries(database)
    for slug in slugs:
        sent = {
            ack.sequence: (ack.username, ack.p_yes_bp, ack.hash)
            for ack in acks
            if ack.slug == slug
        }
        assert stored[slug] == sent, slug
        assert sorted(stored[slug]) == list(range(1, len(sent) + 1)), slug
    assert "every chain is intact" in manage(env, "verify_ledger").stdout
