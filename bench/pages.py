"""5. Pages: the same number of queries and a flat render time as forecasters grow.

Reference: each page rendered the same way on a copy of the data with few
forecasters, in the same run. Pages render in-process with Django's test
client (no HTTP), as a signed-in forecaster, after one warming request.
"""

import statistics
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from bench import data
from bench.timing import Figure
from forecasts.services import extend_community_series, score_resolution

NAME = "pages"


@dataclass(frozen=True)
class Size:
    few: int
    many: int
    resolved: int
    open: int
    repeat: int


SIZES = {"full": Size(100, 10_000, 4, 2, 9), "tiny": Size(3, 12, 1, 1, 1)}


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return each page's median render time with many against few forecasters."""
    few = _render_all(_site(rng, size, size.few), size.repeat)
    many = _render_all(_site(rng, size, size.many), size.repeat)
    return [
        Figure(
            NAME,
            f"{page}, {size.many:,} forecasters (p50)",
            many[page][0],
            "ms",
            f"the same page with {size.few:,} forecasters",
            few[page][0],
            notes={
                f"queries with {size.few:,}": few[page][1],
                f"queries with {size.many:,}": many[page][1],
            },
        )
        for page in many
    ]


def _site(rng, size: Size, forecasters: int) -> dict[str, str]:
    """Create tagged questions, forecast, resolve and score; return page URLs."""
    tag = f"bench-pages-{forecasters}-{rng.integers(1 << 30)}"
    ids = data.make_forecasters(forecasters, prefix=f"p{tag}-")
    now = datetime.now(UTC).replace(microsecond=0)
    staff = data.staff_user()
    slugs = []
    for i in range(size.resolved + size.open):
        closed = i < size.resolved
        close = now - timedelta(days=1) if closed else now + timedelta(days=20)
        question = data.make_question(
            f"{tag}-{i}",
            open_time=now - timedelta(days=10),
            close_time=close,
            tags=[tag],
        )
        data.random_ledger(rng, question, ids, 2, until=now - timedelta(minutes=5))
        slugs.append(question.slug)
        if closed:
            _score(question, close, staff)
    user = User.objects.get(pk=int(ids[0]))
    return {
        "user": user.username,
        "question list": f"/?tag={tag}",
        "open question page": f"/questions/{slugs[-1]}/",
        "resolved question page": f"/questions/{slugs[0]}/",
        "profile": f"/users/{user.username}/",
        "leaderboard": f"/leaderboard/?tag={tag}",
    }


def _score(question, close, staff) -> None:
    extend_community_series(question=question, until=close)
    event = data.resolve(question, outcome=1, effective_at=close, by=staff)
    score_resolution(resolution_id=event.pk)


def _render_all(site: dict[str, str], repeat: int) -> dict[str, tuple[float, int]]:
    """Return (median ms, queries) for each page of the site."""
    client = Client()
    client.force_login(User.objects.get(username=site["user"]))
    return {
        page: _render(client, url, repeat)
        for page, url in site.items()
        if page != "user"
    }


def _render(client: Client, url: str, repeat: int) -> tuple[float, int]:
    assert client.get(url).status_code == 200, url
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Read the count now: the next request resets the connection's query log.
    count = len(queries)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, count
