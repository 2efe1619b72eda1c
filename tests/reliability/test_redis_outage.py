"""Redis stopped and restarted while forecasts arrive.

gunicorn, and a Celery worker with beat, from the Procfile use a throwaway
Redis as broker and cache. While it is down every forecast still succeeds (the cache
and the throttles fail open) and a resolution commits; its scoring task
cannot be queued, so beat's score_pending queues it once Redis is back.
"""

import time

import pytest
from django.conf import settings

from forecasts.models import Entry
from tests.factories import StaffFactory, UserFactory
from tests.production.processes import wait_until
from tests.reliability.deployment import api_for
from tests.reliability.ledger_checks import (
    assert_ledger_holds,
    assert_scores_recompute,
)
from tests.reliability.load import (
    Resolver,
    ScoreWatch,
    Stream,
    forecast_once,
    latency_figures,
)

pytestmark = pytest.mark.postgres

QUEUE_FAILED = "Could not queue scoring of resolution"
CONNECTED = "Connected to redis://"  # the worker, at start and on reconnecting
# Reads that go through the cache: community forecasts, the leaderboard.
CACHED = ["/api/questions/", "/api/leaderboard/"]


@pytest.fixture
def web(start_deployment):
    return start_deployment(["web"], SCORE_PENDING_EVERY_SECONDS="1")


@pytest.fixture
def workers(start_deployment, web):
    """Start the worker and beat apart from gunicorn, as a supervisor would.

    Under one honcho (make serve) a worker's exit stops gunicorn too.
    """
    return start_deployment(["worker", "beat"], env=web.env)


def test_forecasts_and_scoring_survive_a_redis_restart(
    web, workers, redis_server, open_questions, scale, figures
):
    steady = open_questions("steady", 2)
    resolved = open_questions("resolved", 2)
    users = [UserFactory() for _ in range(scale.clients)]
    names = [user.username for user in users]
    apis = [api_for(web, user) for user in users]
    watch = ScoreWatch(forecast_once(apis, names, resolved))
    staff = Resolver(api_for(web, StaffFactory()), watch, attempts=0)
    per_phase = 5 * scale.clients
    stream = Stream(apis, names, steady, limit=100 * scale.forecasts).start()
    try:
        wait_for(stream, "before", per_phase)
        staff.resolve(resolved[0])

        stream.phase = "outage"
        connected = workers.log_count(CONNECTED)
        redis_server.stop()
        began = time.perf_counter()
        staff.api.ok(
            "POST", f"/api/questions/{resolved[1]}/resolve/", {"outcome": "Yes"}
        )
        resolve_ms = (time.perf_counter() - began) * 1e3
        wait_for(stream, "outage", per_phase)
        assert watch.read(staff.api, resolved[1])["state"] == "pending"
        assert [staff.api.status("GET", path) for path in CACHED] == [200, 200]

        redis_server.start()
        stream.phase = "after"
        restarted = supervise(workers, connected)
        began = time.perf_counter()
        staff.await_scores(resolved[1], 1)
        scored_after = time.perf_counter() - began
        wait_for(stream, "after", per_phase)
    finally:
        acks = stream.stop()

    assert stream.errors == []
    assert_ledger_holds(acks, steady)
    assert watch.problems == []
    assert assert_scores_recompute(settings.COMMUNITY_STEP_SECONDS) == 2
    assert web.log_count(QUEUE_FAILED) == 1
    assert web.running()
    figures.update(
        {
            "forecasts before / during / after the outage": " / ".join(
                str(stream.count(phase)) for phase in ("before", "outage", "after")
            ),
            "refused": sum(ack.status != 201 for ack in acks),
            "entries": Entry.objects.count(),
            "resolution while down ms": round(resolve_ms, 1),
            "scored s after Redis returned": round(scored_after, 1),
            "worker restarted by the supervisor": restarted,
            **{
                f"{key} while down": value
                for key, value in latency_figures(stream.acks["outage"]).items()
            },
            **{
                f"{key} otherwise": value
                for key, value in latency_figures(
                    stream.acks["before"] + stream.acks["after"]
                ).items()
            },
        }
    )


def supervise(workers, connected: int) -> bool:
    """Restart the worker and beat if they exited, as systemd would; say if so.

    Celery 5.7 exits ("Unrecoverable error") when the broker vanishes while a
    task is unacknowledged: restoring it needs the connection it has just
    dropped. Whether a task is in flight at that moment is up to chance.
    """
    wait_until(
        lambda: not workers.running() or workers.log_count(CONNECTED) > connected,
        what="the worker to reconnect to Redis, or to exit",
        timeout=120,
    )
    if workers.running():
        return False
    workers.start()
    return True


def wait_for(stream: Stream, phase: str, count: int) -> None:
    """Wait until `count` forecasts sent in this phase are answered."""
    wait_until(
        lambda: stream.count(phase) >= count or bool(stream.errors),
        what=f"{count} forecasts {phase}",
        timeout=120,
    )
