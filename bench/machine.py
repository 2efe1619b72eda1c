"""What the benchmarks ran on, for the report."""

import os
import platform

import numpy as np
from django.db import connection


def describe() -> dict:
    """Return the CPU, cores, memory, database and library versions."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory GiB": round(_memory_bytes() / 2**30, 1),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "database": _database_version(),
        "OPENBLAS_CORETYPE": os.environ.get("OPENBLAS_CORETYPE", ""),
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_bytes() -> int:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError):
        return 0


def _database_version() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"
