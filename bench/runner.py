"""Create a scratch PostgreSQL database, run each benchmark in it, report, drop it.

The server comes from BENCH_DATABASE_URL, else DATABASE_URL, else the local
postgres://postgres@127.0.0.1:5432/postgres; the scratch database is new for
every run and dropped afterwards (--keep leaves it for a look).
"""

import argparse
import os
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/postgres"
RESULTS = Path(__file__).resolve().parent / "results"


def main(argv: list[str] | None = None) -> int:
    """Run the chosen benchmarks at the chosen size and print the table."""
    args = _arguments(argv)
    server = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    scratch = f"forecast_bench_{os.getpid()}"
    admin_url = server or DEFAULT_SERVER
    _create_database(admin_url, scratch)
    try:
        figures, machine = _run_in(_with_database(admin_url, scratch), args)
    finally:
        if not args.keep:
            _drop_database(admin_url, scratch)
    from bench.report import markdown, save

    saved = save(figures, machine, RESULTS, args.size)
    print(markdown(figures, machine))
    print(f"\nSaved {saved}")
    return 0


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=("full", "tiny"), default="full")
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--seed", type=int, default=20250227)
    parser.add_argument("--keep", action="store_true", help="keep the database")
    return parser.parse_args(argv)


def _run_in(database_url: str, args):
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "0"  # DEBUG keeps every query in memory
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # Pages render without collectstatic; whitenoise would say so on every one.
    warnings.filterwarnings("ignore", message="No directory at")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from bench.machine import describe
    from bench.suite import run_all

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    try:
        figures = run_all(args.size, args.seed, _names(args.only))
    finally:
        connections.close_all()
    machine = describe()
    machine["total seconds"] = round(time.perf_counter() - started, 1)
    return figures, machine


def _names(only: str) -> list[str] | None:
    return [name.strip() for name in only.split(",") if name.strip()] or None


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


def _create_database(url: str, name: str) -> None:
    with _admin(url) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')


def _drop_database(url: str, name: str) -> None:
    with _admin(url) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
