"""The staff resolve panel: form, confirmation screen, resolution and scores."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from forecasts.models import ResolutionEvent, Score
from forecasts.services import resolve_question, submit_forecast
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def resolve_url(question):
    return reverse("forecasts:resolve", args=[question.slug])


def page(question):
    return reverse("forecasts:question", args=[question.slug])


def post(client, question, step, version=0, **fields):
    data = {"step": step, "version": version, "note": "", "source_url": "", **fields}
    return client.post(resolve_url(question), data)


def test_panel_is_shown_to_staff_only(client, user, staff, binary_question):
    client.force_login(user)
    assert (
        'id="resolve-panel"' not in client.get(page(binary_question)).content.decode()
    )
    client.force_login(staff)
    html = client.get(page(binary_question)).content.decode()
    assert 'id="resolve-panel"' in html and "Annul (no one is scored)" in html


@pytest.mark.parametrize("step", ["review", "confirm"])
def test_non_staff_get_403_and_nothing_is_written(client, user, binary_question, step):
    client.force_login(user)
    assert client.get(resolve_url(binary_question)).status_code == 403
    response = post(client, binary_question, step, outcome="1")
    assert response.status_code == 403
    client.logout()
    assert post(client, binary_question, step, outcome="1").status_code == 403
    assert not ResolutionEvent.objects.exists()


def test_review_shows_how_many_forecasters_will_be_scored_and_writes_nothing(
    client, staff, binary_question
):
    for _ in range(3):
        submit_forecast(question=binary_question, user=UserFactory(), probability=0.6)
    client.force_login(staff)
    response = post(client, binary_question, "review", outcome="1", note="Seen.")
    html = response.content.decode()
    assert 'id="confirm-resolution"' in html
    assert "<strong>3</strong> forecasters will be scored" in html
    assert 'id="new-outcome"><strong>Yes</strong>' in html
    # Open question, outcome known now: before its scheduled close.
    assert 'id="early-note"' in html and "counts toward calibration only" in html
    assert not ResolutionEvent.objects.exists()


def test_review_counts_only_forecasts_before_the_outcome_was_known(
    client, staff, binary_question, clock
):
    start = timezone.now()
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.6)
    clock.set(start + timedelta(hours=2))
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.6)
    clock.set(start + timedelta(hours=3))
    client.force_login(staff)
    known = (start + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    html = post(
        client, binary_question, "review", outcome="0", effective_at=known
    ).content.decode()
    assert "<strong>1</strong> forecaster will be scored" in html


def test_confirming_resolves_and_scores_appear_without_another_step(
    client, staff, binary_question, django_capture_on_commit_callbacks
):
    forecaster = UserFactory()
    submit_forecast(question=binary_question, user=forecaster, probability=0.65)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = post(
            client,
            binary_question,
            "confirm",
            outcome="1",
            note="Released.",
            source_url="https://example.com/r2",
        )
    assert response.status_code == 302 and response.url == page(binary_question)
    event = ResolutionEvent.objects.get()
    assert (event.outcome, event.note, event.created_by) == (1, "Released.", staff)
    score = Score.objects.get(user=forecaster)
    assert score.brier == pytest.approx(0.245)  # 2 · 0.35²
    client.force_login(forecaster)
    html = client.get(page(binary_question)).content.decode()
    assert 'id="score-brier">0.245<' in html


def test_closed_question_resolution_is_not_early(client, staff, closed_question):
    client.force_login(staff)
    html = post(client, closed_question, "review", outcome="0").content.decode()
    assert 'id="confirm-resolution"' in html and 'id="early-note"' not in html


def test_service_refusals_show_next_to_the_fields(client, staff, binary_question):
    client.force_login(staff)
    response = post(client, binary_question, "review", outcome="annul")
    html = response.content.decode()
    assert "Say why the question is annulled." in html
    assert 'id="confirm-resolution"' not in html
    future = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    html = post(
        client, binary_question, "review", outcome="1", effective_at=future
    ).content.decode()
    assert "Cannot be in the future." in html
    html = post(client, binary_question, "review").content.decode()
    assert "This field is required." in html
    assert not ResolutionEvent.objects.exists()


def test_re_resolving_shows_the_previous_outcome_and_needs_a_note(
    client, staff, binary_question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=binary_question, user=staff, outcome=1)
    client.force_login(staff)
    html = client.get(page(binary_question)).content.decode()
    assert "Re-resolve" in html and "<strong>Yes</strong> (version 1)" in html
    html = client.get(resolve_url(binary_question)).content.decode()
    assert 'id="previous-outcome"' in html and "resolved <strong>Yes</strong>" in html
    html = post(client, binary_question, "review", 1, outcome="0").content.decode()
    assert "Say why the resolution changes." in html
    html = post(
        client, binary_question, "review", 1, outcome="0", note="Misread the source."
    ).content.decode()
    assert 'id="previous-outcome">Yes (version 1)' in html
    with django_capture_on_commit_callbacks(execute=True):
        post(client, binary_question, "confirm", 1, outcome="0", note="Misread it.")
    assert ResolutionEvent.objects.filter(question=binary_question).count() == 2
    assert 'id="outcome">No<' in client.get(page(binary_question)).content.decode()


def test_a_resolution_made_meanwhile_is_not_overwritten(client, staff, binary_question):
    client.force_login(staff)
    post(client, binary_question, "review", outcome="1")  # seen at version 0
    resolve_question(question=binary_question, user=staff, outcome=0)
    response = post(client, binary_question, "confirm", 0, outcome="1", note="x")
    assert "Reload the question and try again." in response.content.decode()
    assert ResolutionEvent.objects.get().outcome == 0


def test_go_back_keeps_what_was_typed(client, staff, binary_question):
    client.force_login(staff)
    html = post(
        client, binary_question, "edit", outcome="1", note="Typed note"
    ).content.decode()
    assert "Typed note" in html and 'id="review-resolution"' in html


@pytest.mark.parametrize("users", [1, 20])
def test_review_runs_a_fixed_number_of_queries(
    client, staff, binary_question, users, django_assert_max_num_queries
):
    for _ in range(users):
        submit_forecast(question=binary_question, user=UserFactory(), probability=0.5)
    client.force_login(staff)
    # session, user, question, tags, latest resolution, the rolled-back dry
    # run of resolve_question (9, savepoints included), forecasters
    with django_assert_max_num_queries(15):
        response = post(client, binary_question, "review", outcome="1")
    assert f"<strong>{users}</strong> forecaster" in response.content.decode()


@pytest.mark.parametrize("users", [1, 20])
def test_resolve_form_runs_a_fixed_number_of_queries(
    client, staff, binary_question, users, django_assert_max_num_queries
):
    for _ in range(users):
        submit_forecast(question=binary_question, user=UserFactory(), probability=0.5)
    client.force_login(staff)
    # session, user, question, tags, latest resolution
    with django_assert_max_num_queries(5):
        response = client.get(resolve_url(binary_question))
    assert 'id="review-resolution"' in response.content.decode()


def test_resolved_page_counts_everyone_scored_and_shows_only_your_scores(
    client, staff, binary_question, django_capture_on_commit_callbacks
):
    users = [UserFactory() for _ in range(3)]
    for user, p in zip(users, [0.7, 0.4, 0.9], strict=True):
        submit_forecast(question=binary_question, user=user, probability=p)
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=binary_question, user=staff, outcome=1)
    client.force_login(users[0])
    page = client.get(reverse("forecasts:question", args=[binary_question.slug]))
    assert "3 forecasters scored." in page.text
    # 0.7 on Yes: 2 · 0.3² = 0.180, the only Brier on the page.
    assert 'id="score-brier">0.180<' in page.text
    assert page.text.count('id="score-brier"') == 1
