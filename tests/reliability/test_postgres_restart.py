"""PostgreSQL restarted while the site runs: 503 while it is down, then recovery.

gunicorn and a Celery worker from the Procfile run against a throwaway
cluster (initdb, pg_ctl) with kept connections (DB_CONN_MAX_AGE), so the
connections that die with the server must be noticed and replaced
(CONN_HEALTH_CHECKS) without restarting a process.
"""

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.conftest import need_service
from tests.production.http_scenario import PASSWORD, create_staff
from tests.production.processes import REPO, environment, wait_until
from tests.reliability.deployment import Api, Deployment, production_env
from tests.reliability.postgres import PostgresCluster, available

pytestmark = pytest.mark.postgres

SLUG = "restart-check"
BOOTED = "Booting worker with pid"


@pytest.fixture
def cluster():
    if not available():
        need_service("needs initdb and pg_ctl for a throwaway PostgreSQL")
    server = PostgresCluster()
    server.init()
    server.start()
    yield server
    server.remove()


@pytest.fixture
def deployment(cluster, redis_server, tmp_path):
    env = production_env(
        cluster.create_database("ledger"),
        redis_server.url,
        tmp_path,
        DB_CONN_MAX_AGE="600",
    )
    for command in ("migrate", "collectstatic"):
        manage(env, command, "--noinput")
    site = Deployment(env, ["web", "worker"], tmp_path / "procfile.log")
    site.start()
    yield site
    site.stop()


def manage(env: dict, *args: str) -> subprocess.CompletedProcess:
    """Run a management command in the deployment's environment; it must succeed."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env=environment(env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def forecaster_and_staff(site: Deployment) -> tuple[Api, Api]:
    """Create staff, a question and a forecaster over the API; return their APIs."""
    create_staff(site.env)
    anon = Api(site.url)
    staff = Api(site.url, token(anon, "staff"))
    now = datetime.now(UTC)
    question = {
        "slug": SLUG,
        "title": "Does the site survive a database restart?",
        "body": "Asked by the reliability test.",
        "resolution_criteria": "Yes if it does.",
        "open_time": (now - timedelta(days=1)).isoformat(),
        "close_time": (now + timedelta(days=1)).isoformat(),
    }
    staff.ok("POST", "/api/questions/", question)
    anon.ok("POST", "/api/auth/signup/", {"username": "ann", "password": PASSWORD})
    return Api(site.url, token(anon, "ann")), staff


def token(api: Api, username: str) -> str:
    body = {"username": username, "password": PASSWORD}
    return api.ok("POST", "/api/auth/token/", body)["token"]


def outage_requests(ann: Api) -> list[tuple[str, object, float]]:
    """Send a read, a forecast and a page request; return (path, response, ms)."""
    requests = [
        ("GET", "/api/questions/", None, {}),
        ("POST", f"/api/questions/{SLUG}/forecasts/", {"probability": 0.4}, {}),
        ("GET", "/", None, {"Accept": "text/html"}),
    ]
    answers = []
    for method, path, body, headers in requests:
        began = time.perf_counter()
        response = ann.call(method, path, body, **headers)
        answers.append((path, response, (time.perf_counter() - began) * 1e3))
    return answers


def test_a_database_restart_gives_503_then_the_site_recovers(
    cluster, deployment, scale, figures
):
    ann, staff = forecaster_and_staff(deployment)
    forecast = f"/api/questions/{SLUG}/forecasts/"
    assert ann.ok("POST", forecast, {"probability": 0.7})["sequence"] == 1
    booted = deployment.log_count(BOOTED)

    # Every kept connection dies with the server; none is reused dead.
    cluster.stop()
    cluster.start()
    after_restart = [ann.status("GET", "/api/questions/") for _ in range(8)]
    assert after_restart == [200] * 8

    cluster.stop()
    answers = [a for _ in range(scale.clients) for a in outage_requests(ann)]
    cluster.start()

    assert {response.status_code for _, response, _ in answers} == {503}
    for path, response, _ in answers:
        assert response.headers["Retry-After"]
        if path.startswith("/api/"):
            assert "database is unavailable" in response.json()["detail"]
        else:
            assert "Temporarily unavailable" in response.text
    wait_until(
        lambda: ann.status("GET", "/api/questions/") == 200,
        what="the site to answer again once PostgreSQL is back",
    )
    assert ann.ok("POST", forecast, {"probability": 0.8})["sequence"] == 2
    staff.ok("POST", f"/api/questions/{SLUG}/resolve/", {"outcome": "Yes"})
    wait_until(
        lambda: staff.ok("GET", f"/api/questions/{SLUG}/scores/")["state"] == "done",
        what="the worker to score the resolution after the restart",
    )
    scores = staff.ok("GET", f"/api/questions/{SLUG}/scores/")["results"]
    assert [row["brier"] for row in scores] == [pytest.approx(0.08)]  # 2·(1 − 0.8)²
    assert deployment.running() and deployment.log_count(BOOTED) == booted
    assert "every chain is intact" in manage(deployment.env, "verify_ledger").stdout
    figures.update(
        {
            "requests while down": len(answers),
            "answered 503": sum(r.status_code == 503 for _, r, _ in answers),
            "slowest 503 ms": round(max(ms for _, _, ms in answers), 1),
            "process restarts": deployment.log_count(BOOTED) - booted,
        }
    )
