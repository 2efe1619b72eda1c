"""Fixtures for tests against the real PostgreSQL, Redis and Celery workers.

They skip for want of a service, or fail when REQUIRE_SERVICES=1. Tests that
stop or kill a service get a throwaway redis-server; the machine's shared
Redis is only ever used through a queue no other worker listens to.
"""

import contextlib
import shutil
import uuid

import psycopg
import pytest
import redis
from celery import Celery
from celery.app.trace import reset_worker_optimizations
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connection

import forecasts.tasks  # noqa: F401  (every Celery app takes the shared tasks)
from config.celery_app import app as project_app
from forecasts.selectors.scores import question_result
from forecasts.services import submit_forecast
from tests.conftest import need_service
from tests.factories import QuestionFactory, UserFactory
from tests.production.processes import RedisServer

# ann forecasts 0.7 and bob 0.2 on Yes, which happens: 2·0.3², 2·0.8².
EXPECTED_BRIER = {"ann": 0.18, "bob": 1.28}


def briers(question) -> dict[str, float]:
    """Return the question's shown Brier scores by username."""
    return {
        s.user.username: round(s.brier, 6) for s in question_result(question).scores
    }


def thread_worker(app: Celery):
    """Start a Celery worker for `app` in a thread of the test process."""
    return start_worker(app, perform_ping_check=False, shutdown_timeout=30)


@pytest.fixture
def live_postgres(transactional_db):
    """Require PostgreSQL, with every write committed so other processes see it."""
    if connection.vendor != "postgresql":
        need_service("needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def live_database_url(live_postgres) -> str:
    """Return a URL of the test database, for worker processes."""
    db = connection.settings_dict
    return (
        f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def forecasted_question(live_postgres):
    """Return an open binary question on which ann and bob have forecast."""
    question = QuestionFactory()
    for name, probability in [("ann", 0.7), ("bob", 0.2)]:
        user = UserFactory(username=name)
        submit_forecast(question=question, user=user, probability=probability)
    return question


@pytest.fixture
def shared_redis() -> str:
    """Return the URL of the machine's Redis (REDIS_URL)."""
    url = settings.REDIS_URL
    if not url:
        need_service("needs Redis: set REDIS_URL=redis://…")
    try:
        redis.Redis.from_url(url, socket_timeout=2).ping()
    except redis.RedisError:
        need_service(f"needs Redis, and {url} does not answer")
    return url


@pytest.fixture
def redis_server(tmp_path):
    """Start a throwaway redis-server, for tests that stop or restart it."""
    if not shutil.which("redis-server"):
        need_service("needs redis-server on PATH for a throwaway Redis")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def make_celery_app():
    """Return a factory of Celery apps that really send to a broker.

    Each app has the project's settings with eager mode off, and a queue of its
    own so that no worker outside the test takes its tasks. While it is the
    current app, the shared tasks send through it.
    """
    made = []

    def make(broker_url: str, **conf) -> Celery:
        app = Celery("forecast-ledger-test", set_as_current=False)
        app.config_from_object("django.conf:settings", namespace="CELERY")
        app.conf.update(
            broker_url=broker_url,
            result_backend=None,
            task_always_eager=False,
            task_default_queue=f"forecast-ledger-test-{uuid.uuid4().hex}",
            worker_hijack_root_logger=False,
            worker_enable_remote_control=False,
            **conf,
        )
        app.set_current()
        app.set_default()
        made.append(app)
        return app

    yield make
    for app in made:
        _forget_queue(app)
        app.close()
    project_app.set_current()
    project_app.set_default()
    reset_worker_optimizations(project_app)


def _forget_queue(app: Celery) -> None:
    queue = app.conf.task_default_queue
    # A throwaway server already stopped has taken its keys with it.
    with contextlib.suppress(redis.ConnectionError):
        redis.Redis.from_url(app.conf.broker_url, socket_timeout=2).delete(
            queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"
        )


@pytest.fixture
def finished_tasks():
    """Record (task name, state) for each task a worker in this process finishes."""
    finished = []

    def record(sender=None, state=None, **kwargs):
        finished.append((sender.name, state))

    task_postrun.connect(record, weak=False)
    yield finished
    task_postrun.disconnect(record)


@pytest.fixture
def scratch_database():
    """Create an empty database on the PostgreSQL server; return its URL."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        need_service("needs PostgreSQL: set DATABASE_URL=postgres://…")
    server = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"],
    }
    name = f"forecast_ledger_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        yield (
            f"postgres://{server['user']}:{server['password']}@{server['host']}:"
            f"{server['port']}/{name}"
        )
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
