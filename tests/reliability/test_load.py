"""Load without loss: concurrent forecasters over HTTP, every entry in the ledger.

gunicorn (four workers) and a Celery worker from the Procfile serve the test
database on PostgreSQL, with a throwaway Redis as broker and cache. Full size
(RELIABILITY_SCALE=full): 16 clients × 500 forecasts over 4 questions.
"""

import itertools
import time
from functools import partial

import pytest

from forecasts.models import Entry
from tests.factories import StaffFactory, UserFactory
from tests.reliability.deployment import Api, api_for
from tests.reliability.ledger_checks import (
    assert_ledger_holds,
    assert_scores_recompute,
)
from tests.reliability.load import (
    Resolver,
    ScoreWatch,
    forecast_once,
    forecaster,
    latency_figures,
    run_all,
)

pytestmark = pytest.mark.postgres

# Seconds between stored community points, in the deployment and the
# recomputation alike: short, so that a run of a minute has a series to score.
STEP = 2
# A forecaster reads the scores of a resolved question after every this many.
READ_EVERY = 10


@pytest.fixture
def deployment(start_deployment, settings):
    # verify_ledger, here, checks the stored series with the deployment's step.
    settings.COMMUNITY_STEP_SECONDS = STEP
    return start_deployment(
        ["web", "worker"],
        COMMUNITY_STEP_SECONDS=str(STEP),
        DB_CONN_MAX_AGE="60",
        # Two per CPU, as the README advises.
        WEB_CONCURRENCY="4",
    )


def test_concurrent_forecasts_all_reach_the_ledger(
    deployment, open_questions, scale, figures
):
    slugs = open_questions("load", scale.questions)
    users = [UserFactory() for _ in range(scale.clients)]
    jobs = [
        partial(
            forecaster,
            api_for(deployment, user),
            user.username,
            slugs,
            scale.forecasts,
            seed,
        )
        for seed, user in enumerate(users)
    ]
    began = time.perf_counter()
    acks = list(itertools.chain(*run_all(jobs)))
    seconds = time.perf_counter() - began

    assert_ledger_holds(acks, slugs)
    assert Entry.objects.count() == scale.clients * scale.forecasts
    figures.update(
        {
            "clients × forecasts": f"{scale.clients} × {scale.forecasts}",
            "entries": Entry.objects.count(),
            "seconds": round(seconds, 1),
            "forecasts/s": round(len(acks) / seconds),
            **latency_figures(acks),
        }
    )


def test_scores_stay_current_while_staff_resolve_under_load(
    deployment, open_questions, scale, figures
):
    loaded = open_questions("load", scale.questions)
    watched = open_questions("resolved", scale.questions)
    users = [UserFactory() for _ in range(scale.clients)]
    apis = [api_for(deployment, user) for user in users]
    names = [user.username for user in users]
    watch = ScoreWatch(forecast_once(apis, names, watched))
    resolvers = [
        Resolver(api_for(deployment, StaffFactory()), watch, scale.resolutions)
        for _ in range(scale.staff)
    ]
    forecasters = [
        partial(
            forecaster,
            api,
            user.username,
            loaded,
            scale.forecasts,
            seed,
            between=reader(api, watch, watched, seed),
        )
        for seed, (api, user) in enumerate(zip(apis, users, strict=True))
    ]
    staff = [partial(resolver.run, watched) for resolver in resolvers]
    began = time.perf_counter()
    results = run_all(forecasters + staff)
    seconds = time.perf_counter() - began
    for slug in loaded:
        resolvers[0].resolve(slug)

    assert watch.problems == []
    acks = list(itertools.chain(*results[: len(users)]))
    assert_ledger_holds(acks, loaded)
    recomputed = assert_scores_recompute(STEP)
    figures.update(
        {
            "clients × forecasts": f"{scale.clients} × {scale.forecasts}",
            "entries": Entry.objects.count(),
            "seconds": round(seconds, 1),
            "forecasts/s": round(len(acks) / seconds),
            "staff × attempts": f"{scale.staff} × {scale.resolutions}",
            "resolution versions": sum(len(r.versions) for r in resolvers),
            "409 conflicts between staff": sum(r.conflicts for r in resolvers),
            "score pages checked": watch.reads,
            "stale score pages": len(watch.problems),
            "questions recomputed": recomputed,
            **latency_figures(acks),
        }
    )


def reader(api: Api, watch: ScoreWatch, slugs: list[str], seed: int):
    """Return a callback reading a resolved question's scores every READ_EVERY."""
    last = dict.fromkeys(slugs, 0)

    def read(n: int) -> None:
        if n % READ_EVERY == READ_EVERY - 1:
            slug = slugs[(seed + n) % len(slugs)]
            last[slug] = watch.read(api, slug, last[slug])["version"] or 0

    return read
