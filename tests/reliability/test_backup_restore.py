"""export_ledger / import_ledger carry a whole database into a fresh one.

The round trip runs the real commands in subprocesses against a throwaway
database (on PostgreSQL a new database on the same server, on SQLite a temp
file), migrated from scratch: the restored ledger verifies, a second export
equals the first row for row (the running sums included), every score
recomputes from the restored ledger with forecasts.scoring (to 1e-12), people
can log in, and new rows get new ids. The other tests load a backup into the
(empty) test database itself.
"""

import json
import math
import os
import re
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import numpy as np
import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.services import delete_account
from discussion.models import Comment, CommentEmail
from forecasts.models import (
    Entry,
    Notification,
    NotificationSettings,
    PracticeRemoval,
    Score,
    Scoring,
)
from forecasts.selectors.backup import backup_models
from forecasts.services import (
    extend_community_series,
    resolve_question,
    score_resolution,
    submit_forecast,
    update_question,
)
from forecasts.services.backup import BackupError, export_backup, import_backup
from forecasts.verification import verify_ledger
from proposals.models import Proposal
from tests.factories import QuestionFactory, StaffFactory, UserFactory
from tests.reliability.recompute import agree

pytestmark = pytest.mark.core

REPO = Path(__file__).resolve().parent.parent.parent
PASSWORD = "correct horse 42"
# make reliability: 100,000 generated entries on top of the world.
FULL_SIZE = os.environ.get("RELIABILITY_SCALE") == "full"


# The data -------------------------------------------------------------------


def build_world(clock) -> None:
    """Write a bit of everything: kinds, states, tags, clarifications, scores."""
    staff = StaffFactory(username="resolver")
    people = [UserFactory(username=name) for name in ("ada", "zoë", "بشير", "li")]
    Token.objects.create(user=people[0])
    open_q = QuestionFactory(slug="open", tags=["ai", "deepseek"])
    ordered = QuestionFactory(
        slug="ordered",
        kind="multiple_choice",
        options=["Low", "Mid", "High"],
        ordered=True,
        tags=["ai"],
    )
    rerun, annulled = QuestionFactory(slug="rerun"), QuestionFactory(slug="annulled")
    QuestionFactory(slug="draft", publish=False, tags=["later"])
    tokens = QuestionFactory(
        slug="tokens",
        kind="numeric",
        range_min=1000.0,
        range_max=1e6,
        scale="log",
        open_lower_bound=True,
        open_upper_bound=True,
        unit="tokens",
    )
    # 2026-01-01 to 2028-01-01 UTC in POSIX seconds, open above.
    when = QuestionFactory(
        slug="when",
        kind="date",
        range_min=1767225600.0,
        range_max=1830297600.0,
        open_upper_bound=True,
    )
    forecast_for_a_day(clock, people, [open_q, ordered, rerun, annulled, tokens, when])
    update_question(question=open_q, resolution_criteria="Clarified: Yes means yes.")
    resolve_and_score(question=ordered, user=staff, outcome=2)
    resolve_and_score(question=rerun, user=staff, outcome=1)
    resolve_and_score(
        question=rerun, user=staff, outcome=0, re_resolve=True, note="Oops"
    )
    resolve_and_score(question=annulled, user=staff, annulled=True, note="Void")
    resolve_and_score(question=tokens, user=staff, value=2e6)
    extend_community_series(question=open_q, until=clock.moment)
    extend_community_series(question=when, until=clock.moment)
    delete_account(user=people[3])
    side_tables(people, rerun)


def forecast_for_a_day(clock, people, questions) -> None:
    rationales = [
        "",
        "Base rates — 🚀",
        "\u202eRTL override",
        "Zero\u200bwidth",
        "<b>x</b>",
    ]
    for hour in range(24):
        clock.set(clock.moment + timedelta(hours=1))
        question = questions[hour % len(questions)]
        who = people[(hour // len(questions)) % len(people)]
        p = round(0.05 + 0.9 * ((hour * 37) % 100) / 100, 4)
        values = {"probability": p}
        if question.is_continuous:
            values = {"quantiles": [[0.2, 0.1 + p * 0.3], [0.7, 0.5 + p * 0.4]]}
            axis = question.axis()
            values["quantiles"] = [
                [level, float(axis.from_unit(u))] for level, u in values["quantiles"]
            ]
            if question.is_date:
                values = {
                    "components": [
                        {"center": "2027-01-01", "spread": p / 5, "weight": 1}
                    ]
                }
        elif not question.is_binary:
            values = {
                "probabilities": [0.2, round(0.8 - p * 0.5, 4), round(p * 0.5, 4)]
            }
        submit_forecast(
            question=question, user=who, rationale=rationales[hour % 5], **values
        )
    clock.set(clock.moment + timedelta(hours=1))


def resolve_and_score(**arguments) -> None:
    event = resolve_question(**arguments)
    score_resolution(resolution_id=event.pk)


def side_tables(people, question) -> None:
    NotificationSettings.objects.create(user=people[1], reminder_emails=False)
    Notification.objects.create(
        user=people[0],
        question=question,
        kind=Notification.RESOLUTION,
        version=1,
        sent_at=timezone.now(),
    )
    PracticeRemoval.objects.create(
        question_slugs=["practice-x"],
        entries=3,
        resolutions=1,
        clarifications=0,
        users=2,
    )
    top = Comment.objects.create(question=question, author=people[0], body="Why?")
    Comment.objects.create(
        question=question, author=people[1], body="Because", parent=top
    )
    CommentEmail.objects.create(comment=top, user=people[1])
    Proposal.objects.create(
        author=people[1],
        slug="proposed-question",
        title="Proposed?",
        body="Body.",
        resolution_criteria="Criteria.",
        tags=["t"],
        close_time=question.close_time,
        status=Proposal.DECLINED,
        decline_reason="Too close to another question.",
    )


def add_generated_ledger() -> None:
    """Add 4 questions × 1,000 forecasters × 25 entries, three of them scored."""
    from bench import data

    rng = np.random.default_rng(7)
    forecasters = data.make_forecasters(1000, prefix="gen")
    staff = data.staff_user()
    start = timezone.now() - timedelta(days=60)
    for i in range(4):
        question = data.make_question(
            f"generated-{i}", open_time=start, close_time=start + timedelta(days=30)
        )
        data.random_ledger(rng, question, forecasters, 25)
        if i:
            event = data.resolve(
                question, outcome=1, effective_at=question.close_time, by=staff
            )
            score_resolution(resolution_id=event.pk)


@pytest.fixture
def world(db, clock):
    build_world(clock)
    if FULL_SIZE:
        add_generated_ledger()
    assert verify_ledger() == []


def stored_scores() -> dict:
    """Return {resolution id: {user id: [every stored score]}} of scored versions."""
    scores = {str(m.resolution_id): {} for m in Scoring.objects.all()}
    for s in Score.objects.order_by("pk"):
        scores[str(s.resolution_id)][str(s.user_id)] = [
            s.entries,
            s.brier,
            s.time_averaged_brier,
            s.relative_brier,
            s.log_score,
            s.baseline,
            s.peer,
            s.points,
            s.rps,
        ]
    return scores


# The throwaway database and the commands ------------------------------------


def postgres_url(settings: dict, name: str) -> str:
    password = quote(settings["PASSWORD"] or "", safe="")
    auth = f"{settings['USER']}:{password}" if password else settings["USER"]
    host = settings["HOST"] or "localhost"
    return f"postgres://{auth}@{host}:{settings['PORT'] or 5432}/{name}"


def server(settings: dict):
    return psycopg.connect(
        dbname="postgres",
        user=settings["USER"],
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture
def fresh_database(tmp_path):
    """Yield the DATABASE_URL of a new, empty database; drop it afterwards."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    settings = connection.settings_dict
    name = f"restore_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    with server(settings) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield postgres_url(settings, name)
    finally:
        with server(settings) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def manage(url: str, *args: str) -> subprocess.CompletedProcess:
    """Run manage.py against the database at url; fail the test if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO,
        env={
            **os.environ,
            "DATABASE_URL": url,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        },
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


# Run in the restored database: every scored version recomputed from its
# ledger with forecasts.scoring, as score_resolution computes it; then a
# log-in and a new user and entry, which need the id sequences moved on.
RESTORED_CHECKS = """
import json

import numpy as np
from django.contrib.auth import authenticate

from accounts.models import User
from forecasts import scoring
from forecasts.models import Question, Scoring
from forecasts.selectors.arrays import (
    community_arrays, entry_arrays, to_microseconds,
)
from forecasts.services import submit_forecast
from forecasts.services.score_columns import outcome_u
from rest_framework.authtoken.models import Token


def nullable(value):
    return None if np.isnan(value) else float(value)


def recompute(marker):
    event, end = marker.resolution, marker.window_end
    question = event.question
    entries = entry_arrays(question, before=end)
    if event.annulled or not len(entries):
        return {}
    times, vectors = community_arrays(question, before=end)
    window = to_microseconds(question.open_time), to_microseconds(end)
    if question.is_continuous:
        r = scoring.score_continuous_question(
            *window, entries.micros, entries.users, entries.vectors, times,
            vectors, outcome_u(question, event), question.open_lower_bound,
            question.open_upper_bound,
        )
    else:
        r = scoring.score_question(
            *window, entries.micros, entries.users, entries.vectors, times,
            vectors, event.outcome, question.ordered,
        )
    return {
        str(int(u)): [
            int(r.entries[i]), float(r.brier[i]), float(r.time_averaged_brier[i]),
            nullable(r.relative_brier[i]), float(r.log_score[i]),
            float(r.baseline[i]), nullable(r.peer[i]), float(r.points[i]),
            nullable(r.rps[i]),
        ]
        for i, u in enumerate(r.users)
    }


markers = Scoring.objects.select_related("resolution__question")
scores = {str(m.resolution_id): recompute(m) for m in markers}
logged_in = authenticate(username="ada", password="correct horse 42") is not None
tokens = Token.objects.count()
newcomer = User.objects.create_user("newcomer", password="another phrase 9")
entry = submit_forecast(
    question=Question.objects.get(slug="open"), user=newcomer, probability=0.5
)
print(json.dumps({
    "scores": scores, "logged_in": logged_in, "tokens": tokens,
    "new_ids": [newcomer.pk, entry.pk, entry.sequence],
}))
"""


def rows_of(path: Path) -> list[str]:
    """Return the backup's lines after its header, which holds the export time."""
    return path.read_text(encoding="utf-8").splitlines()[1:]


def test_a_backup_restores_into_a_fresh_database(world, fresh_database, tmp_path):
    backup, again = tmp_path / "backup.jsonl", tmp_path / "again.jsonl"
    started = time.perf_counter()
    call_command("export_ledger", str(backup))
    exported = time.perf_counter()
    manage(fresh_database, "migrate", "--noinput")
    migrated = time.perf_counter()
    restored = manage(fresh_database, "import_ledger", str(backup))
    report(backup, exported - started, time.perf_counter() - migrated)
    assert "Restored" in restored.stdout
    end = json.loads(backup.read_text(encoding="utf-8").splitlines()[-1])["end"]
    assert (end["discussion.comment"], end["proposals.proposal"]) == (2, 1)
    verified = manage(fresh_database, "verify_ledger")
    assert "every chain is intact" in verified.stdout
    manage(fresh_database, "export_ledger", str(again))
    assert rows_of(again) == rows_of(backup)
    checks = json.loads(
        manage(fresh_database, "shell", "--no-imports", "-c", RESTORED_CHECKS).stdout
    )
    assert agree(checks["scores"], stored_scores())
    assert checks["logged_in"] and checks["tokens"] == 0
    newcomer, entry, sequence = checks["new_ids"]
    assert newcomer > max_id("accounts.user") and entry > max_id("forecasts.entry")
    assert sequence > 1


def report(backup: Path, export_seconds: float, import_seconds: float) -> None:
    """Print the figures RELIABILITY.md quotes (pytest -s shows them)."""
    end = json.loads(backup.read_text(encoding="utf-8").splitlines()[-1])["end"]
    print(
        f"\nbackup: {sum(end.values()):,} rows, {end['forecasts.entry']:,} entries, "
        f"{end['forecasts.score']:,} scores, {backup.stat().st_size / 1e6:.1f} MB; "
        f"export {export_seconds:.1f} s, import and verify {import_seconds:.1f} s"
    )


def max_id(label: str) -> int:
    model = apps.get_model(label)
    return model.objects.order_by("-pk").values_list("pk", flat=True).first()


# Refusals and shape, in the test database ------------------------------------


class _Rollback(Exception):
    pass


def backed_up_then_emptied(path: Path, build) -> None:
    """Build data, back it up to path, and roll the database back to empty."""
    try:
        with transaction.atomic():
            build()
            with path.open("w", encoding="utf-8") as stream:
                export_backup(stream=stream)
            raise _Rollback
    except _Rollback:
        pass


@pytest.fixture
def backup_file(db, clock, tmp_path) -> Path:
    path = tmp_path / "backup.jsonl"
    backed_up_then_emptied(path, lambda: build_world(clock))
    return path


def restore(path: Path, **options):
    with path.open(encoding="utf-8") as stream:
        return import_backup(stream=stream, **options)


def test_import_writes_set_based_in_batches(backup_file, monkeypatch):
    monkeypatch.setattr("forecasts.services.backup.BATCH", 10)
    with CaptureQueriesContext(connection) as queries:
        restored = restore(backup_file)
    inserts = [q for q in queries if q["sql"].lstrip().upper().startswith("INSERT")]
    # One INSERT per 10 rows of each table here (2,000 in use), never one a row.
    batches = sum(math.ceil(n / 10) for n in restored.counts.values())
    assert len(inserts) == batches < sum(restored.counts.values()) / 4
    assert len(restored.counts) == len(backup_models())
    assert restored.problems == []


def test_tokens_are_left_out_and_password_hashes_kept(backup_file):
    text = backup_file.read_text(encoding="utf-8")
    assert "authtoken" not in text
    restore(backup_file)
    assert not Token.objects.exists()
    ada = apps.get_model("accounts.User").objects.get(username="ada")
    assert ada.check_password(PASSWORD)


def test_import_refuses_a_database_that_is_not_empty(backup_file):
    UserFactory()
    with pytest.raises(BackupError, match="not empty .*accounts.user"):
        restore(backup_file)
    assert Score.objects.count() == 0


def test_the_command_says_why_nothing_was_restored(backup_file):
    UserFactory()
    with pytest.raises(CommandError, match="Nothing restored: The database is not"):
        call_command("import_ledger", str(backup_file))


def rewrite(path: Path, change) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines()
    damaged = path.with_name("damaged.jsonl")
    damaged.write_text("\n".join(change(lines)) + "\n", encoding="utf-8")
    return damaged


def header_with(**fields):
    def change(lines):
        return [json.dumps({**json.loads(lines[0]), **fields}), *lines[1:]]

    return change


def first_entry_with(column: str, value):
    def change(lines):
        at = lines.index(next(x for x in lines if '"table": "forecasts.entry"' in x))
        columns = json.loads(lines[at])["columns"]
        row = json.loads(lines[at + 1])
        row[columns.index(column)] = value
        return [*lines[: at + 1], json.dumps(row), *lines[at + 2 :]]

    return change


tamper_first_entry = first_entry_with("rationale", "edited")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda lines: lines[:-1], "cut short"),
        (lambda lines: lines[:40], "cut short"),
        (lambda lines: lines[1:], "not a Forecast Ledger backup"),
        (header_with(version=2), "version 2"),
        (header_with(migrations={"forecasts": "9999_future"}), "Migrate this"),
        (lambda lines: [*lines[:-1], '{"end": {}}'], "damaged"),
        (lambda lines: [*lines[:3], "{oops", *lines[3:]], "Line 4 is not JSON"),
        (lambda lines: [*lines[:3], "[1, 2]", *lines[3:]], "has 2 values"),
        (tamper_first_entry, "does not verify: question open entry #1"),
        (first_entry_with("salt", "0" * 32), "does not verify: question open entry #1"),
    ],
    ids=[
        "no end line",
        "half a file",
        "no header",
        "another version",
        "newer schema",
        "counts disagree",
        "bad JSON line",
        "short row",
        "broken chain",
        "changed salt",
    ],
)
def test_import_refuses_a_damaged_backup_and_writes_nothing(
    backup_file, change, message
):
    with pytest.raises(BackupError, match=message):
        restore(rewrite(backup_file, change))
    for model in backup_models():
        assert not model._base_manager.exists(), model


def test_a_broken_chain_can_be_restored_on_purpose(backup_file):
    restored = restore(rewrite(backup_file, tamper_first_entry), accept_broken=True)
    assert restored.problems[0].startswith("question open entry #1")
    assert verify_ledger() == restored.problems


def test_salts_survive_a_backup_and_restore(db, clock, tmp_path):
    # The backup is the one read that carries every salt, open questions' too:
    # without them a restored open question could never publish its hashes.
    path, salts = tmp_path / "backup.jsonl", {}

    def build():
        build_world(clock)
        salts.update(Entry.objects.values_list("pk", "salt"))

    backed_up_then_emptied(path, build)
    assert not Entry.objects.exists()
    restore(path)
    assert dict(Entry.objects.values_list("pk", "salt")) == salts
    assert len(set(salts.values())) == len(salts) == 24
    assert all(re.fullmatch(r"[0-9a-f]{32}", salt) for salt in salts.values())
    assert verify_ledger() == []


def test_every_table_is_backed_up_or_left_out_on_purpose():
    left_out = {"accounts.user_groups", "accounts.user_user_permissions"}
    # Counters in cache keys: a restored database starts its own, which give
    # keys no cached value of the old one has.
    left_out.add("forecasts.cachegeneration")
    ours = {
        model._meta.label_lower
        for label in ("accounts", "forecasts", "tournaments", "discussion", "proposals")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }
    assert ours - left_out == {m._meta.label_lower for m in backup_models()}
