"""Production settings send the session and CSRF cookies over HTTPS only."""

import json
import os
import secrets
import subprocess
import sys

from tests.production.processes import REPO

# Runs in a fresh interpreter under config.settings.production: each cookie as
# the real middleware sets it. Sessions are signed cookies here only so that
# no database is needed; the flags come from the same settings.
SCRIPT = """
import json

import django

django.setup()
from django.conf import settings
from django.contrib.sessions.backends import signed_cookies
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory


def view(request):
    get_token(request)
    request.session["seen"] = True
    return HttpResponse()


sessions = SessionMiddleware(CsrfViewMiddleware(view))
sessions.SessionStore = signed_cookies.SessionStore
response = sessions(RequestFactory().get("/", secure=True))
cookies = {
    kind: dict(response.cookies[name])
    for kind, name in (
        ("session", settings.SESSION_COOKIE_NAME),
        ("csrf", settings.CSRF_COOKIE_NAME),
    )
}
print(json.dumps(cookies))
"""


def production_cookies() -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": secrets.token_urlsafe(50),
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_session_and_csrf_cookies_are_secure():
    cookies = production_cookies()
    assert cookies["session"]["secure"] is True
    assert cookies["session"]["httponly"] is True
    assert cookies["session"]["samesite"] == "Lax"
    assert cookies["csrf"]["secure"] is True
    assert cookies["csrf"]["samesite"] == "Lax"


def test_local_settings_keep_plain_http_cookies(settings):
    # The embedded mode serves plain HTTP on 127.0.0.1, where secure cookies
    # would never come back and nobody could log in.
    assert not settings.SESSION_COOKIE_SECURE
    assert not settings.CSRF_COOKIE_SECURE
