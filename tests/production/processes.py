"""Start and stop the processes a deployment is made of, for the tests."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis

REPO = Path(__file__).resolve().parent.parent.parent
VENV_BIN = Path(sys.executable).parent


def spare_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(condition, *, what: str, timeout: float = 60) -> None:
    """Poll `condition` until it is true; fail naming `what` if it never is."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what} after {timeout}s")
        time.sleep(0.1)


def environment(env: dict) -> dict:
    """Return this process's environment with `env` on top and the venv on PATH."""
    return {**os.environ, "PATH": f"{VENV_BIN}:{os.environ['PATH']}", **env}


def manage_alone(settings: str, *args: str, env: dict) -> subprocess.CompletedProcess:
    """Run manage.py with these settings and only `env` besides PATH."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": settings, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """Start a command in its own process group, its output going to `log`."""
    with log.open("ab") as out:
        return subprocess.Popen(
            command,
            cwd=REPO,
            env=environment(env),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, sig=signal.SIGTERM, timeout: float = 20) -> None:
    """Send `sig` to the process's whole group and wait; SIGKILL if it lingers."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def celery_worker(queue: str, env: dict, log: Path) -> subprocess.Popen:
    """Start `celery worker` consuming only `queue`, running tasks in its process.

    The solo pool runs each task in the worker's main process, so killing
    that process kills the task it is running.
    """
    command = [
        "celery",
        "-A",
        "config",
        "worker",
        "--pool=solo",
        "--queues",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--loglevel=INFO",
    ]
    return start(command, env, log)


class RedisServer:
    """A throwaway redis-server on a spare port, to stop and start at will."""

    def __init__(self, workdir: Path):
        self.port = spare_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.process = None

    def start(self) -> None:
        command = [
            "redis-server",
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(self.workdir),
        ]
        self.process = start(command, {}, self.workdir / "redis.log")
        wait_until(self.answers, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        stop(self.process)

    def answers(self) -> bool:
        try:
            return redis.Redis.from_url(self.url, socket_timeout=1).ping()
        except redis.ConnectionError:
            return False
