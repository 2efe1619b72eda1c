"""Log practice-set removals, and let the trigger allow exactly those deletes.

On PostgreSQL the trigger of 0002 refused every UPDATE and DELETE on the ledger
tables. It now allows a DELETE only when the transaction has run
`SET LOCAL forecasts.practice_removal = 'on'` and the row's question is tagged
`practice` (python manage.py remove_demo does both); UPDATE is still refused
always. The removal log itself is append-only in the same way, without exception.
"""

import django.utils.timezone
from django.db import migrations, models

LEDGER_TABLES = (
    "forecasts_entry",
    "forecasts_resolutionevent",
    "forecasts_clarification",
)
LOG_TABLE = "forecasts_practiceremoval"

# The nested IF keeps OLD.question_id from being read on the log table, which
# has no such column.
FUNCTION = f"""
CREATE OR REPLACE FUNCTION forecasts_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
            AND TG_TABLE_NAME IN {LEDGER_TABLES!r}
            AND current_setting('forecasts.practice_removal', true) = 'on' THEN
        IF EXISTS (
            SELECT 1
            FROM forecasts_question_tags AS qt
            JOIN forecasts_tag AS t ON t.id = qt.tag_id
            WHERE qt.question_id = OLD.question_id AND t.slug = 'practice'
        ) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'the forecast ledger is append-only: % on % refused',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# The function as 0002 created it, restored when migrating back.
PREVIOUS_FUNCTION = """
CREATE OR REPLACE FUNCTION forecasts_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the forecast ledger is append-only: % on % refused',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def allow_practice_removal(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(
        f"CREATE TRIGGER {LOG_TABLE}_append_only BEFORE UPDATE OR DELETE "
        f"ON {LOG_TABLE} FOR EACH ROW EXECUTE FUNCTION forecasts_refuse_ledger_change()"
    )


def refuse_practice_removal(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {LOG_TABLE}_append_only ON {LOG_TABLE}")
    schema_editor.execute(PREVIOUS_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("forecasts", "0002_append_only_triggers")]

    operations = [
        migrations.CreateModel(
            name="PracticeRemoval",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "removed_at",
                    models.DateTimeField(default=django.utils.timezone.now),
                ),
                ("question_slugs", models.JSONField(default=list)),
                ("entries", models.PositiveIntegerField()),
                ("resolutions", models.PositiveIntegerField()),
                ("clarifications", models.PositiveIntegerField()),
                ("users", models.PositiveIntegerField()),
            ],
            options={"ordering": ["removed_at", "id"]},
        ),
        migrations.RunPython(allow_practice_removal, refuse_practice_removal),
    ]
