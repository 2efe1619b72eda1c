"""Beat's schedule names tasks that exist, score_pending among them."""

from django.conf import settings

from config.celery_app import app


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()
    tasks = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "forecasts.tasks.score_pending" in tasks
    assert [task for task in tasks if task not in app.tasks] == []
