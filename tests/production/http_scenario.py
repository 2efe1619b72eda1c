"""Forecast and resolve over HTTP in a running deployment, as its users would.

Everything goes through the REST API; only the first staff account is made
with `manage.py createsuperuser`, as the README tells an operator to.
"""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

from tests.production.processes import REPO, environment

PASSWORD = "a long deployment password 42"
SLUG = "deployment-check"


class Site:
    """The deployment's API at a base URL, behind an imagined TLS proxy."""

    def __init__(self, url: str):
        self.url = url

    def call(self, method: str, path: str, body=None, token=None) -> tuple[int, dict]:
        """Send one JSON request; return the status and the decoded answer."""
        headers = {"X-Forwarded-Proto": "https", "Content-Type": "application/json"}
        if token:
            headers["Authorization"] = f"Token {token}"
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            self.url + path, data=data, headers=headers, method=method
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"{}")

    def ok(self, method: str, path: str, body=None, token=None) -> dict:
        status, answer = self.call(method, path, body, token)
        assert status in (200, 201), (method, path, status, answer)
        return answer

    def token(self, username: str) -> str:
        body = {"username": username, "password": PASSWORD}
        return self.ok("POST", "/api/auth/token/", body)["token"]


def create_staff(env: dict) -> None:
    """Create the staff account with createsuperuser, as an operator does once."""
    done = subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--noinput"],
        cwd=REPO,
        env=environment(
            {
                **env,
                "DJANGO_SUPERUSER_USERNAME": "staff",
                "DJANGO_SUPERUSER_EMAIL": "staff@example.com",
                "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
            }
        ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def forecast_and_resolve(site: Site) -> None:
    """Create a question, sign up ann (0.7) and bob (0.2), resolve it Yes."""
    staff = site.token("staff")
    now = datetime.now(UTC)
    question = {
        "slug": SLUG,
        "title": "Does the deployment score resolutions?",
        "body": "Asked by the production test.",
        "resolution_criteria": "Resolves Yes when the worker has scored it.",
        "open_time": (now - timedelta(days=1)).isoformat(),
        "close_time": (now + timedelta(days=1)).isoformat(),
    }
    site.ok("POST", "/api/questions/", question, staff)
    for name, probability in [("ann", 0.7), ("bob", 0.2)]:
        account = {"username": name, "password": PASSWORD, "email": f"{name}@x.org"}
        site.ok("POST", "/api/auth/signup/", account)
        forecast = {"probability": probability}
        site.ok("POST", f"/api/questions/{SLUG}/forecasts/", forecast, site.token(name))
    site.ok("POST", f"/api/questions/{SLUG}/resolve/", {"outcome": "Yes"}, staff)


def await_scores(site: Site, timeout: float = 60) -> dict:
    """Poll the question's scores until the worker has written them."""
    deadline = time.monotonic() + timeout
    while True:
        page = site.ok("GET", f"/api/questions/{SLUG}/scores/")
        if page["state"] != "pending" or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    return {
        "state": page["state"],
        "brier": {row["username"]: round(row["brier"], 6) for row in page["results"]},
    }
