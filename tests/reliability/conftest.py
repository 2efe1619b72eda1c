"""Fixtures for the reliability runs: their size, their figures, a deployment.

`make test` runs every test here at the tiny size; `make reliability` sets
RELIABILITY_SCALE=full. Each test records its figures (counts, rates,
latencies) with the `figures` fixture; they are printed at the end of the run
and written to test-artifacts/reliability-<scale>.json, for RELIABILITY.md.
"""

import json

import pytest

from tests.factories import QuestionFactory
from tests.production import conftest as production
from tests.production.processes import REPO
from tests.reliability.deployment import Deployment, production_env
from tests.reliability.scale import Scale, current_scale

# The production tests' fixtures: the test database with every write
# committed, so that other processes see it, and a throwaway redis-server.
live_postgres = production.live_postgres
live_database_url = production.live_database_url
redis_server = production.redis_server

FIGURES = pytest.StashKey[dict]()


def pytest_collection_modifyitems(items):
    """Mark `scaled` every test that takes its size from the `scale` fixture.

    The others run the same at every size, so `make reliability` (full size)
    runs only these: the rest already ran in `make test`.
    """
    for item in items:
        if "scale" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.scaled)


@pytest.fixture(scope="session")
def scale() -> Scale:
    """Return the size chosen by RELIABILITY_SCALE (tiny unless set to full)."""
    return current_scale()


@pytest.fixture
def start_deployment(live_database_url, redis_server, tmp_path):
    """Return a starter of Procfile processes on the test database and a Redis.

    The Redis is a throwaway one, for tests that stop it. Processes started
    together stop together (honcho); everything is stopped after the test.
    """
    started = []

    def start(processes: list[str], env: dict | None = None, **extra) -> Deployment:
        """Start processes with `env`, or a new production environment plus `extra`."""
        env = env or production_env(
            live_database_url, redis_server.url, tmp_path, **extra
        )
        site = Deployment(env, processes, tmp_path / f"{'-'.join(processes)}.log")
        started.append(site)
        site.start()
        return site

    yield start
    for site in started:
        site.stop()
        # Shown only when the test fails.
        print(site.log.read_text()[-20_000:])


@pytest.fixture
def open_questions(live_postgres):
    """Return a maker of open binary questions: (prefix, count) → their slugs."""

    def make(prefix: str, count: int) -> list[str]:
        return [QuestionFactory(slug=f"{prefix}-{i}").slug for i in range(count)]

    return make


@pytest.fixture
def figures(request, scale) -> dict:
    """Return a dict whose items are reported as this test's figures."""
    recorded = {"scale": scale.name}
    yield recorded
    request.config.stash.setdefault(FIGURES, {})[request.node.nodeid] = recorded


def pytest_terminal_summary(terminalreporter, config):
    """Print the figures of every test that recorded some, and save them."""
    recorded = config.stash.get(FIGURES, {})
    if not recorded:
        return
    terminalreporter.section("reliability figures")
    for test, values in recorded.items():
        terminalreporter.write_line(test)
        for key, value in values.items():
            terminalreporter.write_line(f"    {key}: {value}")
    path = REPO / "test-artifacts" / f"reliability-{current_scale().name}.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(recorded, indent=2, ensure_ascii=False) + "\n")
