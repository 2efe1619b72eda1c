"""PostgreSQL keeps often-run statements prepared, unless told not to."""

import os

import pytest

from tests.conftest import need_service
from tests.production.processes import manage_alone

pytestmark = pytest.mark.postgres

# Run one statement ten times on one connection, then count the statements
# PostgreSQL holds prepared for that connection.
SCRIPT = """
from django.db import connection
with connection.cursor() as cursor:
    for _ in range(10):
        cursor.execute("SELECT %s::integer + 1", [1])
    cursor.execute("SELECT count(*) FROM pg_prepared_statements")
    print(cursor.fetchone()[0])
"""


def prepared_after_ten_runs(**env: str) -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        need_service("needs PostgreSQL: set DATABASE_URL=postgres://…")
    done = manage_alone(
        "config.settings.base", "shell", "-c", SCRIPT, env={"DATABASE_URL": url, **env}
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_a_statement_run_often_is_prepared_by_default():
    assert prepared_after_ten_runs() >= 1


def test_prepared_statements_can_be_turned_off_for_a_pooler():
    # PgBouncer before 1.21 in transaction mode runs each transaction on
    # whichever server connection is free, where a statement prepared on
    # another does not exist: the README says to set 0 behind it.
    assert prepared_after_ten_runs(DB_PREPARED_STATEMENTS="0") == 0
