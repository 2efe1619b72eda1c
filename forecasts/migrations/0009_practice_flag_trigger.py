"""Removability is the question's `practice` flag, fixed at creation.

0003's trigger let remove_demo's DELETE through for any question tagged
`practice`, a tag any staff member can add in the admin or the API. The
trigger now checks Question.practice instead, which only the practice-set
loader sets, when it creates a question; a second trigger refuses any UPDATE
that changes the flag, so no app path and no raw UPDATE can make an existing
question removable. Existing rows are left as they are (practice = false):
questions loaded before this change stay in the ledger for good.
"""

from django.db import migrations

LEDGER_TABLES = (
    "forecasts_entry",
    "forecasts_resolutionevent",
    "forecasts_clarification",
)

# The nested IF keeps OLD.question_id from being read on the log table, which
# has no such column. SET LOCAL forecasts.practice_removal = 'on' is still
# required, so a stray DELETE of practice rows is refused too.
FUNCTION = f"""
CREATE OR REPLACE FUNCTION forecasts_refuse_ledger_change() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE'
            AND TG_TABLE_NAME IN {LEDGER_TABLES!r}
            AND current_setting('forecasts.practice_removal', true) = 'on' THEN
        IF EXISTS (
            SELECT 1 FROM forecasts_question AS q
            WHERE q.id = OLD.question_id AND q.practice
        ) THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION 'the forecast ledger is append-only: % on % refused',
        TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

FLAG_FUNCTION = """
CREATE OR REPLACE FUNCTION forecasts_refuse_practice_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a question''s practice flag is fixed at creation: '
        'change of question % refused', OLD.id
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

FLAG_TRIGGER = """
CREATE TRIGGER forecasts_question_practice_fixed
BEFORE UPDATE OF practice ON forecasts_question
FOR EACH ROW WHEN (OLD.practice IS DISTINCT FROM NEW.practice)
EXECUTE FUNCTION forecasts_refuse_practice_change()
"""

# 0003's function, restored when migrating back.
PREVIOUS_FUNCTION = f"""
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


def check_the_flag(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    schema_editor.execute(FLAG_FUNCTION, params=None)
    schema_editor.execute(FLAG_TRIGGER, params=None)


def check_the_tag(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "DROP TRIGGER IF EXISTS forecasts_question_practice_fixed "
        "ON forecasts_question"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS forecasts_refuse_practice_change()")
    schema_editor.execute(PREVIOUS_FUNCTION, params=None)


class Migration(migrations.Migration):
    dependencies = [("forecasts", "0008_entry_salt_question_practice")]

    operations = [migrations.RunPython(check_the_flag, check_the_tag)]
