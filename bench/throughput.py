"""2. Submission throughput: gunicorn on PostgreSQL, concurrent API clients.

Reference: /bench/bare/ on the same server, a DRF endpoint that authenticates
the same token, validates a tiny body and does one INSERT. The two alternate
in ten short rounds (ABBA order) so that drifting load on the machine hits
both alike.
"""

import http.client
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from django.db import connection
from rest_framework.authtoken.models import Token

from bench import data
from bench.cpu import cpu_seconds
from bench.server.urls import BARE_TABLE
from bench.timing import Figure
from forecasts.models import LedgerHead
from forecasts.verification import verify_ledger

NAME = "throughput"
ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Size:
    clients: int
    seconds: float
    workers: int
    latency_seconds: float
    rounds: int


SIZES = {"full": Size(16, 20.0, 2, 10.0, 10), "tiny": Size(2, 0.5, 1, 0.5, 2)}


@dataclass
class Load:
    """What one load run saw: each request's latency and status."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    cpu: Counter = field(default_factory=Counter)  # seconds, by kind of process

    def add(self, other: "Load") -> None:
        self.latencies += other.latencies
        self.statuses += other.statuses
        self.seconds += other.seconds
        self.cpu += other.cpu

    def cpu_per_request(self) -> dict[str, float]:
        """Return each kind of process's CPU per request, in ms."""
        n = max(len(self.latencies), 1)
        return {kind: seconds / n * 1000 for kind, seconds in self.cpu.items()}

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return forecasts/s against the bare endpoint, and latency at low load."""
    question, tokens = _setup(rng, size.clients)
    before = LedgerHead.objects.get(question=question).entries
    forecast = f"/api/questions/{question.slug}/forecasts/"
    bare, api = Load(), Load()
    with serve(size.workers) as port:
        # Short alternating rounds, in ABBA order, so that load on the machine
        # that drifts over seconds falls on both endpoints alike.
        for round_ in range(size.rounds):
            pair = [
                (bare, "/bench/bare/", _bare_body),
                (api, forecast, _forecast_body),
            ]
            for total, path, body in pair[:: 1 if round_ % 2 == 0 else -1]:
                total.add(load(port, path, tokens, size, body))
        quiet = load(
            port,
            forecast,
            tokens[: size.workers],
            size,
            _forecast_body,
            seconds=size.latency_seconds,
        )
    accepted = api.statuses[201] + quiet.statuses[201]
    after = LedgerHead.objects.get(question=question).entries
    return _figures(
        size,
        bare,
        api,
        quiet,
        {
            "forecasts accepted": accepted,
            "entries added to the ledger": after - before,
            "other statuses": dict(api.statuses - Counter({201: api.statuses[201]})),
            "ledger verifies": verify_ledger() == [],
            **{
                f"CPU per forecast, ms: {kind}": ms
                for kind, ms in sorted(api.cpu_per_request().items())
            },
            **{
                f"CPU per bare request, ms: {kind}": ms
                for kind, ms in sorted(bare.cpu_per_request().items())
            },
        },
    )


def _figures(size, bare, api, quiet, notes) -> list[Figure]:
    latencies = np.asarray(quiet.latencies) * 1000
    reference = f"/bench/bare/: token, tiny body, one INSERT ({size.clients} clients)"
    p50, p99 = (float(np.percentile(latencies, q)) for q in (50, 99))
    low = f"{size.workers} clients, one per worker"
    return [
        Figure(
            NAME,
            f"POST a forecast through the API, {size.clients} clients, "
            f"{size.workers} gunicorn workers",
            api.rate,
            "req/s",
            reference,
            bare.rate,
            target=0.65,
            at_least=True,
            notes=notes,
        ),
        Figure(
            NAME,
            f"forecast latency p50 ({low})",
            p50,
            "ms",
            "the bare endpoint's median at full load",
            statistics.median(bare.latencies) * 1000,
        ),
        Figure(
            NAME,
            f"forecast latency p99 ({low})",
            p99,
            "ms",
            "the bare endpoint's median at full load",
            statistics.median(bare.latencies) * 1000,
            target=100.0,
            on="value",
        ),
    ]


def _setup(rng, clients: int):
    now = datetime.now(UTC)
    question = data.make_question(
        f"bench-throughput-{rng.integers(1 << 30)}",
        open_time=now - timedelta(days=1),
        close_time=now + timedelta(days=30),
    )
    users = data.make_forecasters(clients, prefix=f"t{question.pk}-")
    tokens = [Token.objects.create(user_id=int(u)).key for u in users]
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id bigserial PRIMARY KEY, "
            "user_id bigint NOT NULL, value integer NOT NULL, "
            "created_at timestamptz NOT NULL DEFAULT now())"
        )
    return question, tokens


def _bare_body(chooser: random.Random) -> dict:
    return {"value": chooser.randrange(10_001)}


def _forecast_body(chooser: random.Random) -> dict:
    bp = int(data.off_edges(np.array([chooser.randrange(10, 9_991)]))[0])
    return {"probability": bp / 10_000}


def load(port, path, tokens, size, body, *, seconds=None) -> Load:
    """POST from one thread per token for one round (or `seconds`); record all."""
    duration = seconds or size.seconds / size.rounds
    results = [Load() for _ in tokens]
    stop = time.perf_counter() + duration
    threads = [
        threading.Thread(target=_client, args=(port, path, token, body, stop, result))
        for token, result in zip(tokens, results, strict=True)
    ]
    database = connection.settings_dict["NAME"]
    cpu, clients = cpu_seconds(database), time.process_time()
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    total = Load(seconds=time.perf_counter() - start)
    total.cpu = cpu_seconds(database) - cpu
    total.cpu["clients (the benchmark's threads)"] = time.process_time() - clients
    for result in results:
        total.latencies += result.latencies
        total.statuses += result.statuses
    return total


def _client(port, path, token, body, stop, result: Load) -> None:
    chooser = random.Random(token)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    while time.perf_counter() < stop:
        payload = json.dumps(body(chooser))
        start = time.perf_counter()
        conn.request("POST", path, payload, headers)
        response = conn.getresponse()
        response.read()
        result.latencies.append(time.perf_counter() - start)
        result.statuses[response.status] += 1
    conn.close()


@contextmanager
def serve(workers: int):
    """Run gunicorn on a free local port against this database; stop it after."""
    with server_process(workers) as (port, _):
        yield port


@contextmanager
def server_process(workers: int, *, timeout: int = 30):
    """Run gunicorn as `serve` does; yield its port and master process."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.server.settings",
        "DATABASE_URL": database_url(),
        "DEBUG": "0",
        "DB_CONN_MAX_AGE": "600",
        "THROTTLE_FORECAST_RATE": "100000000/min",
        "PYTHONWARNINGS": "ignore:No directory at",
    }
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        "--log-level",
        "warning",
        "--timeout",
        str(timeout),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_until_up(port, server)
        yield port, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def database_url() -> str:
    """Return a URL of the database this process uses (PostgreSQL)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn exited before it answered")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/questions/")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within 60 s")
