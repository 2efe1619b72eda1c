"""load_seeds turns the article's questions into published questions, idempotently."""

import shutil
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from forecasts.models import Clarification, Entry, Question, Status
from forecasts.services import submit_forecast

pytestmark = pytest.mark.core


@pytest.fixture
def seed_dir(tmp_path):
    target = tmp_path / "seeds"
    shutil.copytree(settings.SEEDS_DIR, target)
    return target


def edit(path, old, new):
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_twelve_questions_load_and_rerun_adds_nothing(db, capsys):
    call_command("load_seeds")
    call_command("load_seeds")
    assert Question.objects.count() == 12
    assert "0 created, 0 updated, 12 unchanged" in capsys.readouterr().out
    by_kind = {
        q.slug: (q.kind, q.ordered, len(q.options)) for q in Question.objects.all()
    }
    assert sorted(by_kind.values()).count(("binary", False, 2)) == 7
    assert ("multiple_choice", True, 5) in by_kind.values()
    assert ("multiple_choice", True, 4) in by_kind.values()
    date = Question.objects.get(slug="deepseek-r2-release-date-distribution")
    # 2025-02-26T00:00Z and 2028-01-01T00:00Z in POSIX seconds.
    assert (date.range_min, date.range_max) == (1740528000.0, 1830297600.0)
    assert Question.objects.filter(kind="numeric", scale="log").count() == 2


def test_past_close_questions_load_closed_awaiting_resolution(db):
    call_command("load_seeds")
    closed = Question.objects.filter(close_time__lte=datetime(2025, 6, 1, tzinfo=UTC))
    assert closed.count() == 2
    assert {q.status() for q in closed} == {Status.CLOSED}
    assert not Question.objects.filter(resolutions__isnull=False).exists()


def test_every_seed_cites_the_article(db):
    call_command("load_seeds")
    titles = set(Question.objects.values_list("source_title", flat=True))
    assert titles == {"DeepSeek Prepares to Launch R2 as Competition in AI Intensifies"}


def test_changed_text_updates_and_forecasts_stay(db, seed_dir, user, clock):
    call_command("load_seeds", dir=seed_dir)
    question = Question.objects.get(slug__contains="2027")
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    submit_forecast(question=question, user=user, probability=0.6)
    path = next(p for p in seed_dir.glob("04-*.toml"))
    edit(path, 'title = "', 'title = "Revised: ')
    call_command("load_seeds", dir=seed_dir)
    question.refresh_from_db()
    assert question.title.startswith("Revised: ")
    assert Entry.objects.filter(question=question).count() == 1


def test_criteria_changed_after_a_forecast_become_a_clarification(
    db, seed_dir, user, clock
):
    call_command("load_seeds", dir=seed_dir)
    question = Question.objects.get(slug__contains="2027")
    original = question.resolution_criteria
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    submit_forecast(question=question, user=user, probability=0.6)
    path = next(p for p in seed_dir.glob("04-*.toml"))
    edit(path, 'resolution_criteria = """', 'resolution_criteria = """Clarified. ')
    call_command("load_seeds", dir=seed_dir)
    call_command("load_seeds", dir=seed_dir)
    question.refresh_from_db()
    assert question.resolution_criteria == original
    (clarification,) = Clarification.objects.filter(question=question)
    assert clarification.text.startswith("Clarified. ")


def test_kind_change_after_a_forecast_is_refused_naming_file_and_field(
    db, seed_dir, user, clock
):
    call_command("load_seeds", dir=seed_dir)
    question = Question.objects.get(slug__contains="2027")
    clock.set(datetime(2026, 1, 1, tzinfo=UTC))
    submit_forecast(question=question, user=user, probability=0.6)
    path = next(p for p in seed_dir.glob("04-*.toml"))
    edit(path, 'options = ["No", "Yes"]', 'options = ["Yes", "No"]')
    edit(path, 'kind = "binary"', 'kind = "multiple_choice"')
    with pytest.raises(CommandError, match=rf"{path.name}: field '(kind|options)'"):
        call_command("load_seeds", dir=seed_dir)
    assert Question.objects.get(pk=question.pk).kind == "binary"


def test_bad_seed_file_fails_with_file_and_field(db, seed_dir):
    path = next(p for p in seed_dir.glob("01-*.toml"))
    edit(path, 'kind = "binary"', 'kind = "scalar"')
    with pytest.raises(CommandError, match=rf"{path.name}: field 'kind'"):
        call_command("load_seeds", dir=seed_dir)
    assert not Question.objects.exists()
