"""CPU time of the processes that serve a benchmark, read from /proc (Linux)."""

import os
from collections import Counter
from pathlib import Path

PROC = Path("/proc")


def cpu_seconds(database: str) -> Counter:
    """Return the CPU seconds used so far by gunicorn, Redis and this database's
    PostgreSQL backends, by kind; empty where there is no /proc."""
    if not PROC.is_dir():
        return Counter()
    tick = os.sysconf("SC_CLK_TCK")
    used = Counter()
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, UnicodeDecodeError, IndexError):
            continue  # gone meanwhile, or not ours to read
        kind = _kind(command, database)
        if kind:
            # utime and stime: the 14th and 15th fields of the whole line.
            used[kind] += (int(fields[11]) + int(fields[12])) / tick
    return used


def _kind(command: str, database: str) -> str | None:
    if "gunicorn" in command:
        return "gunicorn"
    if command.startswith("postgres:") and f" {database} " in command:
        return "PostgreSQL"
    if "redis-server" in command:
        return "Redis"
    return None
