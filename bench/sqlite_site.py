"""A SQLite site for the throughput benchmark, prepared and checked out of process.

The benchmark process itself is connected to PostgreSQL, so this runs in a
subprocess with DATABASE_URL=sqlite:///PATH:

    python -m bench.sqlite_site prepare PATH CLIENTS   # prints slug and tokens
    python -m bench.sqlite_site check PATH SLUG        # prints entries, problems
"""

import json
import os
import sys
from datetime import UTC, datetime, timedelta

BARE_SQLITE = (
    "CREATE TABLE IF NOT EXISTS bench_bare (id INTEGER PRIMARY KEY AUTOINCREMENT, "
    "user_id bigint NOT NULL, value integer NOT NULL, "
    "created_at datetime NOT NULL DEFAULT CURRENT_TIMESTAMP)"
)


def _setup(path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.server.dev_settings"
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


def prepare(path: str, clients: int) -> dict:
    """Migrate a new SQLite file; add a question, forecasters, their tokens."""
    _setup(path)
    from django.core.management import call_command
    from django.db import connection
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from forecasts.services import create_question

    call_command("migrate", verbosity=0)
    now = datetime.now(UTC)
    question = create_question(
        tags=(),
        slug="bench-sqlite",
        title="Synthetic question on SQLite",
        body="Generated for benchmarks.",
        resolution_criteria="Resolved by the benchmark.",
        kind="binary",
        options=[],
        open_time=now - timedelta(days=1),
        close_time=now + timedelta(days=30),
        resolve_time=now + timedelta(days=30),
        published_at=now - timedelta(days=1),
    )
    users = User.objects.bulk_create(
        User(username=f"sqlite-{i}", password="!") for i in range(clients)
    )
    tokens = [Token.objects.create(user=user).key for user in users]
    with connection.cursor() as cursor:
        cursor.execute(BARE_SQLITE)
    return {"slug": question.slug, "tokens": tokens}


def check(path: str, slug: str) -> dict:
    """Return the question's ledger length and what verify_ledger finds."""
    _setup(path)
    from forecasts.models import LedgerHead
    from forecasts.verification import verify_ledger

    head = LedgerHead.objects.get(question__slug=slug)
    return {"entries": head.entries, "problems": [str(p) for p in verify_ledger()]}


if __name__ == "__main__":
    command, path, argument = sys.argv[1:4]
    if command == "prepare":
        print(json.dumps(prepare(path, int(argument))))
    else:
        print(json.dumps(check(path, argument)))
