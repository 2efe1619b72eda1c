"""8. The SQLite default under load: `make run`'s server, 16 clients.

The site as `make run` serves it (manage.py runserver, threaded, SQLite in
WAL mode with IMMEDIATE transactions, DEBUG as the environment says) on a
fresh SQLite file, forecasts POSTed through the API against the bare
endpoint on the same server and file, in alternating rounds as the
PostgreSQL benchmark does. Every forecast must be accepted (no other status)
and in the ledger, and the chain must verify.
"""

import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.throughput import (
    ROOT,
    Load,
    _bare_body,
    _forecast_body,
    _free_port,
    _wait_until_up,
    load,
)
from bench.timing import Figure

NAME = "sqlite"


@dataclass(frozen=True)
class Size:
    clients: int
    seconds: float
    rounds: int


SIZES = {"full": Size(16, 20.0, 10), "tiny": Size(2, 0.5, 2)}


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return forecasts/s on SQLite against the bare endpoint on SQLite."""
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-") as folder:
        path = str(Path(folder) / "db.sqlite3")
        site = _site("prepare", path, str(size.clients))
        forecast = f"/api/questions/{site['slug']}/forecasts/"
        bare, api = Load(), Load()
        with runserver(path) as port:
            for round_ in range(size.rounds):
                pair = [
                    (bare, "/bench/bare/", _bare_body),
                    (api, forecast, _forecast_body),
                ]
                for total, url, body in pair[:: 1 if round_ % 2 == 0 else -1]:
                    total.add(load(port, url, site["tokens"], size, body))
        checked = _site("check", path, site["slug"])
    others = api.statuses - Counter({201: api.statuses[201]})
    bare_others = bare.statuses - Counter({201: bare.statuses[201]})
    return [
        Figure(
            NAME,
            f"POST a forecast through the API on SQLite, {size.clients} clients, "
            "runserver as `make run` starts it",
            api.rate,
            "req/s",
            f"/bench/bare/ on the same server and SQLite file ({size.clients} clients)",
            bare.rate,
            notes={
                "forecasts accepted": api.statuses[201],
                "entries in the ledger": checked["entries"],
                "other statuses (forecasts)": dict(others),
                "other statuses (bare)": dict(bare_others),
                "ledger verifies": checked["problems"] == [],
                "median latency, ms": round(float(np.median(api.latencies)) * 1000, 2)
                if api.latencies
                else None,
            },
        ),
        Figure(
            NAME,
            "forecasts lost or refused on SQLite (other statuses, missing from "
            "the ledger, chain not verifying)",
            sum(others.values())
            + abs(checked["entries"] - api.statuses[201])
            + len(checked["problems"]),
            "",
            target=0,
            on="value",
        ),
    ]


def _site(command: str, path: str, argument: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "bench.sqlite_site", command, path, argument],
        cwd=ROOT,
        env=_environment(path),
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _environment(path: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{path}",
        "DJANGO_SETTINGS_MODULE": "bench.server.dev_settings",
        "THROTTLE_FORECAST_RATE": "100000000/min",
        "PYTHONWARNINGS": "ignore",
    }


@contextmanager
def runserver(path: str):
    """Run `manage.py runserver` (no autoreload) on the SQLite file; stop it after."""
    port = _free_port()
    command = [
        sys.executable,
        "manage.py",
        "runserver",
        f"127.0.0.1:{port}",
        "--noreload",
    ]
    server = subprocess.Popen(
        command,
        cwd=ROOT,
        env=_environment(path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
