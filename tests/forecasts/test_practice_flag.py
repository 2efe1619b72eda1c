"""Only questions the practice-set loader created can be removed; a tag is a label.

remove_demo deletes a question's whole ledger, so what makes a question
removable is the `practice` flag, which the loader sets at creation and
nothing can change afterwards: not the admin, the API, the seeds, the model,
nor (on PostgreSQL) a raw UPDATE. Tagging a question `practice` changes nothing.
"""

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from forecasts.models import (
    Entry,
    PracticeFlagError,
    PracticeRemoval,
    Question,
    Score,
    Standing,
    Tag,
)
from forecasts.seed_files import SeedError, load_seed_file
from forecasts.services import submit_forecast, update_question
from forecasts.verification import verify_ledger
from tests.api.conftest import client_for
from tests.factories import QuestionFactory, UserFactory, admin_question_form


@pytest.fixture(autouse=True)
def daily_community_steps(settings):
    # As in test_demo: daily steps keep load_demo fast.
    settings.COMMUNITY_STEP_SECONDS = 86400


def load_demo():
    call_command("load_demo", forecasters=3)


def admin_tags_practice(question) -> None:
    """Add the tag `practice` to a question through the admin's change form."""
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    times = {
        f"{name}_{part}": value
        for name in ("open_time", "close_time", "resolve_time", "created_at")
        for part, value in enumerate(
            getattr(question, name).strftime("%Y-%m-%d %H:%M:%S").split()
        )
    }
    form = admin_question_form(
        slug=question.slug,
        title=question.title,
        tags=[Tag.objects.get(slug="practice").pk],
        practice="on",
        **times,
    )
    url = reverse("admin:forecasts_question_change", args=[question.pk])
    assert client.post(url, form).status_code == 302


def api_question(slug: str, **fields) -> dict:
    question = QuestionFactory.build(slug=slug)
    return {
        "slug": question.slug,
        "title": question.title,
        "body": question.body,
        "resolution_criteria": question.resolution_criteria,
        "open_time": question.open_time.isoformat(),
        "close_time": question.close_time.isoformat(),
        **fields,
    }


def api_creates_practice_tagged(staff) -> Question:
    """Create a question tagged `practice` through POST /api/questions/."""
    body = api_question("staff-made-practice", tags=["practice"])
    response = client_for(staff).post("/api/questions/", body, format="json")
    assert response.status_code == 201, response.content
    return Question.objects.get(slug=body["slug"])


@pytest.fixture
def tagged_by_staff(db, staff, user):
    """Two real questions with a forecast each, tagged `practice` by staff."""
    load_demo()
    by_admin = QuestionFactory(slug="staff-tagged-in-admin")
    submit_forecast(question=by_admin, user=user, probability=0.3)
    admin_tags_practice(by_admin)
    by_api = api_creates_practice_tagged(staff)
    submit_forecast(question=by_api, user=user, probability=0.6)
    return [by_admin, by_api]


@pytest.mark.core
def test_load_demo_flags_its_questions_practice(db):
    load_demo()
    made = Question.objects.filter(tags__slug="practice")
    assert made.count() == 6
    assert all(question.practice for question in made)


@pytest.mark.core
def test_questions_staff_tagged_practice_survive_remove_demo(tagged_by_staff, user):
    call_command("remove_demo")
    assert set(Question.objects.all()) == set(tagged_by_staff)
    for question in tagged_by_staff:
        assert list(Entry.objects.filter(question=question).values("user")) == [
            {"user": user.pk}
        ]
    assert not set(PracticeRemoval.objects.get().question_slugs) & {
        q.slug for q in tagged_by_staff
    }
    assert verify_ledger() == []


@pytest.mark.core
def test_the_admin_and_the_api_cannot_set_the_flag(tagged_by_staff, staff):
    tagged = Question.objects.filter(tags__slug="practice", practice=False)
    assert set(tagged) == set(tagged_by_staff)
    body = api_question("flagged", practice=True)
    response = client_for(staff).post("/api/questions/", body, format="json")
    assert response.status_code == 400
    assert "practice" in response.json()
    assert not Question.objects.filter(slug="flagged").exists()


@pytest.mark.core
def test_a_seed_file_cannot_set_the_flag(tmp_path):
    seed = tmp_path / "flagged.toml"
    seed.write_text(
        'slug = "flagged"\ntitle = "T"\nkind = "binary"\noptions = ["No", "Yes"]\n'
        "ordered = false\ntags = []\nopen_time = 2026-01-01T00:00:00Z\n"
        "close_time = 2026-02-01T00:00:00Z\nresolve_time = 2026-02-01T00:00:00Z\n"
        'hide_community_until_forecast = false\nsource_title = ""\n'
        'source_url = ""\nbody = "B"\nresolution_criteria = "C"\npractice = true\n'
    )
    with pytest.raises(SeedError, match="'practice'"):
        load_seed_file(seed)


@pytest.mark.core
def test_the_model_refuses_to_change_the_flag(db, binary_question):
    practice = Question.objects.create(
        slug="made-as-practice",
        title="T",
        body="B",
        resolution_criteria="C",
        open_time=binary_question.open_time,
        close_time=binary_question.close_time,
        resolve_time=binary_question.close_time,
        practice=True,
    )
    with pytest.raises(PracticeFlagError):
        Question.objects.filter(pk=binary_question.pk).update(practice=True)
    with pytest.raises(PracticeFlagError):
        update_question(question=binary_question, practice=True)
    practice.practice = False
    with pytest.raises(PracticeFlagError):
        practice.save()
    unloaded = Question.objects.only("slug").get(pk=binary_question.pk)
    unloaded.practice = True
    with pytest.raises(PracticeFlagError):
        Question.objects.bulk_update([unloaded], ["practice"])
    with pytest.raises(PracticeFlagError):
        unloaded.save()
    assert list(Question.objects.filter(practice=True)) == [practice]


@pytest.mark.core
def test_other_edits_still_save(db, binary_question):
    binary_question.title = "Retitled"
    binary_question.save()
    Question.objects.filter(pk=binary_question.pk).update(title="Again")
    assert Question.objects.get(pk=binary_question.pk).title == "Again"


# On PostgreSQL, through the triggers themselves (raw SQL) -------------------


def raw(sql: str, *params, removal: bool = True) -> int:
    """Run one statement in its own savepoint; return the rows it touched."""
    with transaction.atomic(), connection.cursor() as cursor:
        if removal:
            cursor.execute("SET LOCAL forecasts.practice_removal = 'on'")
        cursor.execute(sql, params)
        return cursor.rowcount


def refused(sql: str, *params, match: str = "append-only") -> None:
    with pytest.raises(DatabaseError, match=match):
        raw(sql, *params)


@pytest.mark.postgres
def test_trigger_lets_only_loader_made_practice_entries_go(postgres, tagged_by_staff):
    made = Question.objects.filter(practice=True).first()
    entries = Entry.objects.filter(question=made).count()
    for question in tagged_by_staff:
        refused("DELETE FROM forecasts_entry WHERE question_id = %s", question.pk)
        assert Entry.objects.filter(question=question).count() == 1
    # The derived rows that point at entries go first, as in remove_demo.
    Standing.objects.filter(question=made).delete()
    Score.objects.filter(question=made).delete()
    assert raw("DELETE FROM forecasts_entry WHERE question_id = %s", made.pk) == entries
    assert not Entry.objects.filter(question=made).exists()


@pytest.mark.postgres
def test_trigger_refuses_changing_the_flag(postgres, tagged_by_staff):
    made = Question.objects.filter(practice=True).first()
    fixed = "fixed at creation"
    for question in tagged_by_staff:
        refused(
            "UPDATE forecasts_question SET practice = true WHERE id = %s",
            question.pk,
            match=fixed,
        )
    refused(
        "UPDATE forecasts_question SET practice = false WHERE id = %s",
        made.pk,
        match=fixed,
    )
    assert raw("UPDATE forecasts_question SET title = 'Edited' WHERE id = %s", made.pk)
    assert Question.objects.filter(practice=True).count() == 6


@pytest.mark.postgres
def test_staff_tagged_question_survives_remove_demo_on_postgres(
    postgres, tagged_by_staff
):
    call_command("remove_demo")
    assert set(Entry.objects.values_list("question", flat=True)) == {
        question.pk for question in tagged_by_staff
    }
    assert not Question.objects.filter(practice=True).exists()
    assert verify_ledger() == []
