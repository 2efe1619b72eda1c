"""Score: no database keys, fewer indexes, and the scored window's end.

Scoring a resolution inserts a row per forecaster; PostgreSQL checked four
foreign keys per row at commit (1.4 s of 3.9 s for 100,000 forecasters).
The ledger keeps every row a score points at (see the comment on Score in
forecasts/models.py). window_end is Scoring.window_end, copied so the "all
entries" calibration joins scores to entries and nothing else.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """Copy each version's window end onto its scores, set-based."""
    Score = apps.get_model("forecasts", "Score")
    Scoring = apps.get_model("forecasts", "Scoring")
    ends = Scoring.objects.filter(resolution_id=OuterRef("resolution_id"))
    Score.objects.update(window_end=Subquery(ends.values("window_end")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("forecasts", "0005_score_calibration_columns"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="score",
            name="final_entry",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="forecasts.entry",
            ),
        ),
        migrations.AlterField(
            model_name="score",
            name="question",
            field=models.ForeignKey(
                db_constraint=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="forecasts.question",
            ),
        ),
        migrations.AlterField(
            model_name="score",
            name="resolution",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="scores",
                to="forecasts.resolutionevent",
            ),
        ),
        migrations.AlterField(
            model_name="score",
            name="user",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="scores",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="score",
            name="window_end",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="score",
            name="window_end",
            field=models.DateTimeField(),
        ),
    ]
