"""On PostgreSQL, refuse UPDATE and DELETE on the ledger tables in the database.

The model layer refuses them on every backend; the trigger also stops raw SQL
and other programs. TRUNCATE is left to the database owner (test flushes).
"""

from django.db import migrations

TABLES = ("forecasts_entry", "forecasts_resolutionevent", "forecasts_clarification")

FUNCTION = """
CREATE OR REPLACE FUNCTION forecasts_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the forecast ledger is append-only: % on % refused',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION forecasts_refuse_ledger_change()"
        )


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS forecasts_refuse_ledger_change()")


class Migration(migrations.Migration):
    dependencies = [("forecasts", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
