"""Run the Procfile's processes against a database and a Redis; call their API.

The processes are the production ones (gunicorn with its workers, a Celery
worker, beat), started by honcho as `make serve` does, minus its migrate and
collectstatic: the databases used here are migrated already.
"""

import secrets
import subprocess
from pathlib import Path

import requests
from rest_framework.authtoken.models import Token

from tests.production.processes import spare_port, start, stop, wait_until

# Forecasters and staff each send a few requests a second at most.
GENEROUS_RATE = "1000/s"
WORKER_READY = " ready."  # celery@host ready.


def production_env(database_url: str, redis_url: str, workdir: Path, **extra) -> dict:
    """Return the environment of a production deployment, plus `extra`."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_ROOT": str(workdir / "static"),
        "CELERY_BEAT_SCHEDULE_FILENAME": str(workdir / "beat-schedule"),
        "PORT": str(spare_port()),
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "2",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "THROTTLE_FORECAST_RATE": GENEROUS_RATE,
        "THROTTLE_SIGNUP_RATE": GENEROUS_RATE,
        "THROTTLE_TOKEN_RATE": GENEROUS_RATE,
        **extra,
    }


class Deployment:
    """The Procfile's processes, run by honcho, logging to one file."""

    def __init__(self, env: dict, processes: list[str], log: Path):
        self.env = env
        self.processes = processes
        self.log = log
        self.url = f"http://127.0.0.1:{env['PORT']}"
        self.honcho: subprocess.Popen | None = None

    def start(self) -> None:
        """Start the processes; return once gunicorn answers and the worker is up."""
        readies = self.log_count(WORKER_READY)
        command = ["honcho", "start", "--port", self.env["PORT"], *self.processes]
        self.honcho = start(command, self.env, self.log)
        wait_until(
            lambda: self.ready(readies),
            what=f"{self.processes} to start",
            timeout=120,
        )
        assert self.honcho.poll() is None, self.log.read_text()

    def ready(self, readies: int) -> bool:
        if self.honcho.poll() is not None:
            return True
        worker = (
            "worker" not in self.processes or self.log_count(WORKER_READY) > readies
        )
        return worker and Api(self.url).status("GET", "/api/questions/") == 200

    def stop(self) -> None:
        if self.honcho is not None:
            stop(self.honcho)

    def running(self) -> bool:
        return self.honcho is not None and self.honcho.poll() is None

    def log_count(self, text: str) -> int:
        """Return how often `text` occurs in the processes' log so far."""
        return self.log.read_text().count(text) if self.log.exists() else 0


class Api:
    """The deployment's JSON API over one HTTP session, behind an imagined proxy.

    The session keeps its connection open when the server allows it (gunicorn's
    sync workers close each one after the response).
    """

    def __init__(self, url: str, token: str | None = None):
        self.url = url
        self.session = requests.Session()
        self.session.headers["X-Forwarded-Proto"] = "https"
        if token:
            self.session.headers["Authorization"] = f"Token {token}"

    def call(self, method: str, path: str, body=None, **headers) -> requests.Response:
        """Send one request; return the response, whatever its status."""
        return self.session.request(
            method, self.url + path, json=body, headers=headers, timeout=30
        )

    def status(self, method: str, path: str, body=None) -> int | None:
        """Return the status of one request, or None if nothing answered."""
        try:
            return self.call(method, path, body).status_code
        except requests.ConnectionError:
            return None

    def ok(self, method: str, path: str, body=None) -> dict:
        """Send one request that must succeed; return its JSON answer."""
        response = self.call(method, path, body)
        assert response.status_code in (200, 201), (path, response.text)
        return response.json()


def api_for(site: Deployment, user) -> Api:
    """Return the API as this user, with a new token."""
    return Api(site.url, Token.objects.create(user=user).key)
