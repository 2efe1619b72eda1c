"""`make serve` runs the Procfile: gunicorn serves the site, the worker scores.

Against a database of its own on the PostgreSQL server and a throwaway Redis,
with the production settings.
"""

import json
import re
import secrets
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.production.processes import (
    REPO,
    environment,
    spare_port,
    start,
    stop,
    wait_until,
)

pytestmark = pytest.mark.postgres

SCENARIO = Path(__file__).with_name("scenario.py")


def status_of(url: str) -> int | None:
    """Return the HTTP status of GET url as the TLS proxy in front would ask it."""
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


@pytest.fixture
def production_env(scratch_database, redis_server, tmp_path) -> dict:
    """Return the environment a production deployment is configured with."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": scratch_database,
        "REDIS_URL": redis_server.url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(tmp_path / "static"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(tmp_path / "beat-schedule"),
        "PORT": str(spare_port()),
        "WEB_CONCURRENCY": "1",
        "CELERY_CONCURRENCY": "1",
        "SCORE_PENDING_EVERY_SECONDS": "1",
    }


def worker_ran_score_pending(log: Path) -> bool:
    """Say whether the worker has run a score_pending task sent by beat."""
    finished = r"Task forecasts\.tasks\.score_pending\[\S+\] succeeded"
    return re.search(finished, log.read_text()) is not None


def run_scenario(env: dict) -> dict:
    """Forecast and resolve through manage.py shell; return the result it saw."""
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SCENARIO.read_text()],
        cwd=REPO,
        env=environment(env),
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_make_serve_serves_the_site_and_scores_resolutions(production_env, tmp_path):
    log = tmp_path / "serve.log"
    serve = start(["make", "serve"], production_env, log)
    site = f"http://127.0.0.1:{production_env['PORT']}"
    try:
        wait_until(
            lambda: (
                status_of(f"{site}/admin/login/") == 200 or serve.poll() is not None
            ),
            what="gunicorn to serve the admin login page",
            timeout=180,
        )
        assert status_of(f"{site}/admin/login/") == 200
        assert status_of(f"{site}/static/admin/css/base.css") == 200
        result = run_scenario(production_env)
        assert result == {"state": "done", "brier": {"ann": 0.18, "bob": 1.28}}
        wait_until(
            lambda: worker_ran_score_pending(log),
            what="beat to send score_pending to the worker",
        )
        # honcho stops every process as soon as one exits: all three still run.
        assert serve.poll() is None
    finally:
        stop(serve)
        print(log.read_text())
