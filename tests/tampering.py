"""Change the database behind the application's back, as a privileged attacker."""

from django.db import connection


def raw_sql(statement: str, params=()) -> None:
    """Run SQL past the PostgreSQL append-only trigger (replica role, this
    transaction only); on SQLite nothing stands in the way."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(statement, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
