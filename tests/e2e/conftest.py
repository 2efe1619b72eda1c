"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import shutil
import uuid
from pathlib import Path

import pytest

from tests.conftest import need_service

# Playwright's sync API runs an event loop in this thread; the tests still use
# the ORM directly to set up data and check what the browser did.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        need_service("needs Debian's Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, timezone_id="Europe/Berlin", locale="en-GB"
    )
    context.set_default_timeout(10_000)
    opened = context.new_page()
    yield opened
    context.close()


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot under test-artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Give each test its own cache keys, in the live server's thread too.

    The database is emptied after each test but the cache is not, so cached
    pages' data would carry into the next test. A new prefix, not cache.clear(),
    because on Redis clearing flushes a whole database that others may share.
    """
    caches = {name: dict(config) for name, config in settings.CACHES.items()}
    default = caches["default"]
    default["KEY_PREFIX"] = f"{default.get('KEY_PREFIX', '')}-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def page_without_js(browser, live_server):
    """A page of a browser with JavaScript off: every form must still work."""
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
