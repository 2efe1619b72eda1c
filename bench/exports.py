"""7. Exports that stream: a huge ledger downloaded through a real server.

Each export runs in a fresh gunicorn worker (one, so its memory is the
server's): the figure is the worker's peak resident memory during the download
above its resident memory just before it (idle, after a warm-up request), and
the time from sending the request to the first byte of the body. The peak is
VmHWM after resetting it (/proc/<pid>/clear_refs), and a poll of VmRSS every
10 ms where the kernel refuses the reset. The backup command `export_ledger`
runs in its own process and reports its own peak the same way.
"""

import hashlib
import http.client
import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from rest_framework.authtoken.models import Token

from bench import data
from bench.throughput import ROOT, database_url, server_process
from bench.timing import Figure
from forecasts.services import extend_community_series, score_resolution

NAME = "exports"
MEMORY_TARGET_MB = 200.0
FIRST_BYTE_TARGET_S = 1.0


@dataclass(frozen=True)
class Size:
    forecasters: int
    per_forecaster: int
    days: int


SIZES = {"full": Size(100_000, 10, 30), "tiny": Size(40, 3, 2)}


@dataclass
class Download:
    first_byte: float
    seconds: float
    size: int
    sha256: str
    idle_mb: float
    peak_mb: float

    @property
    def above_idle(self) -> float:
        return max(self.peak_mb - self.idle_mb, 0.0)


def run(size: Size, rng: np.random.Generator) -> list[Figure]:
    """Return peak memory above idle and first byte of each export."""
    staff = data.staff_user("bench-export-staff")
    question, entries = _resolved_question(size, rng, staff)
    token = Token.objects.get_or_create(user=staff)[0].key
    what = f"{entries:,} entries"
    figures = []
    for label, path in (
        ("GET /api/export/ledger.csv (staff)", "/api/export/ledger.csv"),
        ("GET /api/export/ledger.json (staff)", "/api/export/ledger.json"),
        (
            "GET /api/questions/{slug}/ledger.json",
            f"/api/questions/{question.slug}/ledger.json",
        ),
    ):
        got = download_once(path, token, question.slug)
        figures += _download_figures(f"{label}, {what}", got)
    figures.append(_command_figure(what))
    return figures


def _resolved_question(size: Size, rng, staff):
    now = datetime.now(UTC).replace(microsecond=0)
    close = now - timedelta(days=1)
    question = data.make_question(
        f"bench-export-{rng.integers(1 << 30)}",
        open_time=close - timedelta(days=size.days),
        close_time=close,
    )
    forecasters = data.make_forecasters(size.forecasters, prefix=f"e{question.pk}-")
    ledger = data.random_ledger(rng, question, forecasters, size.per_forecaster)
    extend_community_series(question=question, until=close)
    event = data.resolve(question, outcome=1, effective_at=close, by=staff)
    assert score_resolution(resolution_id=event.pk), "the resolution was not scored"
    return question, len(ledger)


def _download_figures(what: str, got: Download) -> list[Figure]:
    notes = {
        "bytes": got.size,
        "seconds to the last byte": round(got.seconds, 2),
        "idle resident MB": round(got.idle_mb, 1),
        "sha256": got.sha256,
    }
    return [
        Figure(
            NAME,
            f"{what}: server peak memory above idle",
            got.above_idle,
            "MB",
            target=MEMORY_TARGET_MB,
            on="value",
            notes=notes,
        ),
        Figure(
            NAME,
            f"{what}: first byte",
            got.first_byte,
            "s",
            target=FIRST_BYTE_TARGET_S,
            on="value",
        ),
    ]


def download_once(path: str, token: str, slug: str) -> Download:
    """GET path from a fresh one-worker gunicorn; measure its worker."""
    with server_process(1, timeout=3600) as (port, master):
        worker = _worker_of(master.pid)
        headers = {"Authorization": f"Token {token}"}
        for warm in ("/api/questions/", f"/api/questions/{slug}/"):
            _get_all(port, warm, headers)
        idle = resident_mb(worker, "VmRSS")
        reset = _reset_peak(worker)
        poll = _Poller(worker)
        poll.start()
        try:
            got = _timed_get(port, path, headers)
        finally:
            poll.stop()
        peak = max(poll.peak, resident_mb(worker, "VmHWM") if reset else 0.0)
    return Download(*got, idle_mb=idle, peak_mb=peak)


def _timed_get(port: int, path: str, headers: dict):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    digest = hashlib.sha256()
    start = time.perf_counter()
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - start
    if response.status != 200:
        raise RuntimeError(f"{path} answered {response.status}")
    digest.update(first)
    size = len(first)
    while block := response.read(1 << 20):
        digest.update(block)
        size += len(block)
    seconds = time.perf_counter() - start
    conn.close()
    return first_byte, seconds, size, digest.hexdigest()


def _get_all(port: int, path: str, headers: dict) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers=headers)
    conn.getresponse().read()
    conn.close()


def _worker_of(master: int) -> int:
    """Return the pid of the gunicorn master's one worker."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            # pid (comm) state ppid …: comm may hold spaces, so split after ")".
            if int(stat.rsplit(")", 1)[1].split()[1]) == master:
                return int(entry)
        time.sleep(0.1)
    raise RuntimeError("gunicorn started no worker")


def resident_mb(pid: int, field: str) -> float:
    """Return VmRSS or VmHWM of a process in MB (10^6 bytes)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024 / 1e6
    raise RuntimeError(f"no {field} for process {pid}")


def _reset_peak(pid: int) -> bool:
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


class _Poller(threading.Thread):
    """The largest VmRSS of a process seen every 10 ms."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak, self._done = pid, 0.0, threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            try:
                self.peak = max(self.peak, resident_mb(self.pid, "VmRSS"))
            except (OSError, RuntimeError):
                return
            self._done.wait(0.01)

    def stop(self) -> None:
        self._done.set()
        self.join()


def _command_figure(what: str) -> Figure:
    """Run export_ledger in its own process; its peak memory above idle."""
    target = ROOT / "bench" / "results" / f"export-{os.getpid()}.jsonl"
    target.parent.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url()}
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.export_command", str(target)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        size = target.stat().st_size
    finally:
        target.unlink(missing_ok=True)
    report = json.loads(out.strip().splitlines()[-1])
    return Figure(
        NAME,
        f"manage.py export_ledger (whole database, {what} and more): "
        "peak memory above idle",
        max(report["peak_mb"] - report["idle_mb"], 0.0),
        "MB",
        target=MEMORY_TARGET_MB,
        on="value",
        notes={
            "bytes": size,
            "seconds": round(report["seconds"], 2),
            "idle resident MB": round(report["idle_mb"], 1),
        },
    )
