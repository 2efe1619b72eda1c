"""Store on each Score what calibration reads, and mark superseded versions."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """Copy close time, outcome and final forecast onto every score, set-based."""
    Score = apps.get_model("forecasts", "Score")
    Question = apps.get_model("forecasts", "Question")
    ResolutionEvent = apps.get_model("forecasts", "ResolutionEvent")
    LedgerHead = apps.get_model("forecasts", "LedgerHead")
    Entry = apps.get_model("forecasts", "Entry")

    def column(model, key, name):
        return Subquery(model.objects.filter(pk=OuterRef(key)).values(name)[:1])

    Score.objects.update(
        close_time=column(Question, "question_id", "close_time"),
        outcome=column(ResolutionEvent, "resolution_id", "outcome"),
        final_bp=column(Entry, "final_entry_id", "probabilities_bp"),
        final_p_yes_bp=column(Entry, "final_entry_id", "p_yes_bp"),
    )
    latest = LedgerHead.objects.filter(pk=OuterRef("question_id")).values(
        "resolutions"
    )[:1]
    versions = ResolutionEvent.objects.filter(pk=OuterRef("resolution_id"))
    Score.objects.exclude(
        resolution_id__in=Subquery(
            versions.filter(version=Subquery(latest)).values("pk")
        )
    ).update(current=False)
    if schema_editor.connection.vendor == "postgresql":
        # The updates queue deferred foreign-key checks, and PostgreSQL will
        # not ALTER a table with pending trigger events: run them now.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("forecasts", "0004_notifications"),
    ]

    operations = [
        migrations.AddField(
            model_name="score",
            name="close_time",
            field=models.DateTimeField(null=True),
        ),
        migrations.AddField(
            model_name="score",
            name="outcome",
            field=models.SmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="score",
            name="final_bp",
            field=models.JSONField(null=True),
        ),
        migrations.AddField(
            model_name="score",
            name="final_p_yes_bp",
            field=models.PositiveSmallIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="score",
            name="current",
            field=models.BooleanField(default=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="score",
            name="close_time",
            field=models.DateTimeField(),
        ),
        migrations.AlterField(
            model_name="score",
            name="outcome",
            field=models.SmallIntegerField(),
        ),
        migrations.AlterField(
            model_name="score",
            name="final_bp",
            field=models.JSONField(),
        ),
        migrations.AddIndex(
            model_name="score",
            index=models.Index(
                fields=["user", "current", "close_time"],
                name="score_user_current_close",
            ),
        ),
    ]
