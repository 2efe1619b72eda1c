"""Concurrent clients of a deployment: forecasters, resolving staff, readers.

Every loop is bounded. Clients record what the server acknowledged, so a test
can compare it with what the ledger holds afterwards.
"""

import random
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from tests.reliability.deployment import Api


@dataclass(frozen=True)
class Ack:
    """One forecast request and the server's answer."""

    slug: str
    username: str
    p_yes_bp: int
    status: int
    sequence: int | None
    hash: str | None
    seconds: float


def forecast(api: Api, username: str, slug: str, p_yes_bp: int) -> Ack:
    """POST one binary forecast; return what the server answered, and how fast."""
    began = time.perf_counter()
    response = api.call(
        "POST", f"/api/questions/{slug}/forecasts/", {"probability": p_yes_bp / 1e4}
    )
    seconds = time.perf_counter() - began
    entry = response.json() if response.status_code == 201 else {}
    return Ack(
        slug,
        username,
        p_yes_bp,
        response.status_code,
        entry.get("sequence"),
        entry.get("hash"),
        seconds,
    )


def forecaster(
    api: Api, username: str, slugs: list[str], count: int, seed: int, between=None
) -> list[Ack]:
    """Send `count` forecasts spread evenly over `slugs`; call `between` after each."""
    rng = random.Random(seed)
    acks = []
    for n in range(count):
        slug = slugs[(seed + n) % len(slugs)]
        acks.append(forecast(api, username, slug, rng.randint(10, 9990)))
        if between is not None:
            between(n)
    return acks


def run_all(jobs: list) -> list:
    """Run the callables at once, one thread each; return their results in order.

    An exception in any of them is raised here, after all have finished.
    """
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(job) for job in jobs]
        return [future.result() for future in futures]


def latency_figures(acks: list[Ack]) -> dict[str, float]:
    """Return the median, 95th percentile and worst request time, in milliseconds."""
    seconds = np.array([ack.seconds for ack in acks])
    return {
        "p50 ms": round(float(np.percentile(seconds, 50)) * 1e3, 1),
        "p95 ms": round(float(np.percentile(seconds, 95)) * 1e3, 1),
        "max ms": round(float(seconds.max()) * 1e3, 1),
    }


def outcome_of(version: int) -> str:
    """Return the outcome resolvers give a version: Yes for odd ones, No for even."""
    return "Yes" if version % 2 else "No"


@dataclass
class ScoreWatch:
    """Check every read of a scores page against the outcome of its version.

    `p_yes` holds each forecaster's only forecast on each watched question, so
    the Brier score a version must show is known: 2·(1 − p_outcome)².
    """

    p_yes: dict[str, dict[str, float]]
    problems: list[str] = field(default_factory=list)
    reads: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def read(self, api: Api, slug: str, last_version: int = 0) -> dict:
        """Read the scores page, check it, and return it."""
        page = api.ok("GET", f"/api/questions/{slug}/scores/")
        found = self.problems_in(slug, page, last_version)
        with self.lock:
            self.reads += 1
            self.problems.extend(found)
        return page

    def problems_in(self, slug: str, page: dict, last_version: int) -> list[str]:
        version = page["version"] or 0
        if version < last_version:
            return [f"{slug}: version {version} read after {last_version}"]
        if page["state"] != "done":
            return [] if not page["results"] else [f"{slug}: scores while pending"]
        if slug not in self.p_yes:
            return []  # no known scores to compare with
        yes = outcome_of(version) == "Yes"
        shown = {row["username"]: row["brier"] for row in page["results"]}
        if shown.keys() != self.p_yes[slug].keys():
            return [f"{slug} v{version}: scores of {sorted(shown)}"]
        return [
            f"{slug} v{version}: {name} shows Brier {brier}, not {expected}"
            for name, brier in shown.items()
            if abs(brier - (expected := _brier(self.p_yes[slug][name], yes))) > 1e-6
        ]


def _brier(p_yes: float, yes: bool) -> float:
    return 2 * (1 - (p_yes if yes else 1 - p_yes)) ** 2


@dataclass
class Resolver:
    """A staff member resolving and re-resolving questions, racing other staff."""

    api: Api
    watch: ScoreWatch
    attempts: int
    conflicts: int = 0
    versions: list[int] = field(default_factory=list)

    def run(self, slugs: list[str]) -> "Resolver":
        """Take the questions in turn, as every other resolver does."""
        for attempt in range(self.attempts):
            self.resolve(slugs[attempt % len(slugs)])
        return self

    def resolve(self, slug: str) -> None:
        """Resolve the question's next version, then read until it is scored."""
        seen = self.watch.read(self.api, slug)["version"] or 0
        body = {"outcome": outcome_of(seen + 1), "expected_version": seen}
        if seen:
            body |= {"re_resolve": True, "note": f"Version {seen + 1}."}
        response = self.api.call("POST", f"/api/questions/{slug}/resolve/", body)
        if response.status_code == 409:
            self.conflicts += 1
            return
        assert response.status_code == 200, response.text
        self.versions.append(seen + 1)
        self.await_scores(slug, seen + 1)

    def await_scores(self, slug: str, version: int, reads: int = 600) -> None:
        """Read the scores until this version (or a later one) shows them."""
        for _ in range(reads):
            page = self.watch.read(self.api, slug, version)
            if page["version"] > version or page["state"] == "done":
                return
            time.sleep(0.05)
        raise AssertionError(f"{slug} v{version} was never scored")


def forecast_once(apis, usernames, slugs: list[str]) -> dict[str, dict[str, float]]:
    """Have each user forecast each question once; return P(yes) by slug and name.

    No P(yes) is 0.5, so the two outcomes give each forecaster different scores.
    """
    p_yes = {slug: {} for slug in slugs}
    for i, (api, username) in enumerate(zip(apis, usernames, strict=True)):
        bp = round(10_000 * (2 * i + 1) / (2 * len(usernames) + 1))
        for slug in slugs:
            assert forecast(api, username, slug, bp).status == 201
            p_yes[slug][username] = bp / 10_000
    return p_yes


class Stream:
    """Forecasters sending forecasts in the background until stopped.

    Each ack is filed under the phase the test had set when it was sent.
    `limit` bounds each forecaster's loop should the test never stop it.
    """

    def __init__(self, apis, usernames, slugs: list[str], limit: int):
        self.phase = "before"
        self.acks: dict[str, list[Ack]] = {}
        self.errors: list[str] = []
        self.stopped = threading.Event()
        self.threads = [
            threading.Thread(target=self._send, args=(api, name, slugs, limit, seed))
            for seed, (api, name) in enumerate(zip(apis, usernames, strict=True))
        ]

    def start(self) -> "Stream":
        for thread in self.threads:
            thread.start()
        return self

    def stop(self) -> list[Ack]:
        """Stop the forecasters; return every ack."""
        self.stopped.set()
        for thread in self.threads:
            thread.join()
        return [ack for acks in self.acks.values() for ack in acks]

    def count(self, phase: str) -> int:
        return len(self.acks.get(phase, []))

    def _send(self, api: Api, username: str, slugs, limit: int, seed: int) -> None:
        rng = random.Random(seed)
        for n in range(limit):
            if self.stopped.is_set():
                return
            phase = self.phase
            slug = slugs[(seed + n) % len(slugs)]
            try:
                ack = forecast(api, username, slug, rng.randint(10, 9990))
            except Exception as error:  # the test reports it
                self.errors.append(f"{username}: {error!r}")
                return
            self.acks.setdefault(phase, []).append(ack)
