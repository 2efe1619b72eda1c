"""`make serve` runs the Procfile: gunicorn serves the site, the worker scores.

Against a database of its own on the PostgreSQL server and a throwaway Redis,
with the production settings; the worker's e-mails are written to files.
"""

import re
import secrets
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.production.http_scenario import (
    Site,
    await_scores,
    create_staff,
    forecast_and_resolve,
)
from tests.production.processes import spare_port, start, stop, wait_until

pytestmark = pytest.mark.postgres


def status_of(url: str, data: bytes | None = None) -> int | None:
    """Return the HTTP status of GET (or POST data to) url, as the proxy asks it."""
    request = urllib.request.Request(
        url, data=data, headers={"X-Forwarded-Proto": "https"}
    )
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
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "SITE_URL": "https://forecasts.example.org",
    }


def worker_ran_score_pending(log: Path) -> bool:
    """Say whether the worker has run a score_pending task sent by beat."""
    finished = r"Task forecasts\.tasks\.score_pending\[\S+\] succeeded"
    return re.search(finished, log.read_text()) is not None


def emails(env: dict) -> str:
    """Return every e-mail the deployment has written, one file per connection."""
    folder = Path(env["EMAIL_FILE_PATH"])
    return "".join(path.read_text() for path in sorted(folder.glob("*.log")))


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
        create_staff(production_env)
        forecast_and_resolve(Site(site))
        result = await_scores(Site(site))
        assert result == {"state": "done", "brier": {"ann": 0.18, "bob": 1.28}}
        wait_until(
            lambda: emails(production_env).count("Subject: Resolved Yes") == 2,
            what="the worker to e-mail both forecasters",
        )
        sent = emails(production_env)
        assert "To: ann@x.org" in sent and "Your Brier score: 0.180" in sent
        # A mail client's one-click unsubscribe, with no session or CSRF token.
        path = re.search(r"Unsubscribe: https://forecasts.example.org(\S+)", sent)
        assert status_of(site + path[1], b"List-Unsubscribe=One-Click") == 200
        wait_until(
            lambda: worker_ran_score_pending(log),
            what="beat to send score_pending to the worker",
        )
        # honcho stops every process as soon as one exits: all three still run.
        assert serve.poll() is None
    finally:
        stop(serve)
        print(log.read_text())
