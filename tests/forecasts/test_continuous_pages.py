"""Numeric and date question pages: staff resolve with a value, the results table."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from forecasts.models import ResolutionEvent
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def tokens_question():
    return QuestionFactory(
        kind="numeric",
        range_min=1000.0,
        range_max=1_000_000.0,
        scale="log",
        open_upper_bound=True,
        unit="tokens",
    )


def post(client, question, step, **fields):
    data = {"step": step, "version": 0, "note": "", "source_url": "", **fields}
    return client.post(reverse("forecasts:resolve", args=[question.slug]), data)


def test_resolve_form_offers_a_value_and_only_the_open_side(client, staff):
    question = tokens_question()
    client.force_login(staff)

    html = client.get(reverse("forecasts:question", args=[question.slug])).content
    html = html.decode()

    assert 'name="value"' in html
    assert "Above the range" in html
    assert "Below the range" not in html


def test_a_value_beyond_the_closed_bound_is_refused_next_to_the_field(client, staff):
    question = tokens_question()
    client.force_login(staff)

    response = post(client, question, "confirm", outcome="value", value="500")

    assert response.status_code == 400
    assert "closed lower bound" in response.content.decode()
    assert not ResolutionEvent.objects.exists()


def test_resolving_with_a_value_shows_results_with_median_and_log_score(
    client, staff, django_capture_on_commit_callbacks
):
    question = tokens_question()
    forecaster = UserFactory(username="ada")
    # Median 10^4.5 = 31.6K; 10th and 90th percentiles 3K and 300K.
    submit_forecast(
        question=question,
        user=forecaster,
        quantiles=[[0.1, 3000], [0.5, 31622.78], [0.9, 300_000]],
    )
    client.force_login(staff)
    review = post(client, question, "review", outcome="value", value="131072")
    assert "131K tokens" in review.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        post(client, question, "confirm", outcome="value", value="131072")

    event = ResolutionEvent.objects.get()
    assert (event.outcome, event.value) == (1, 131072.0)
    html = client.get(reverse("forecasts:question", args=[question.slug])).content
    html = html.decode()
    assert 'id="outcome">131K tokens<' in html
    assert "Final median (80% interval)" in html
    assert "31.6K tokens (80%: 3K – 300K tokens)" in html
    assert "Log score" in html


def test_resolving_above_the_range_without_a_value(
    client, staff, django_capture_on_commit_callbacks
):
    question = tokens_question()
    client.force_login(staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, question, "confirm", outcome="above")

    assert response.status_code == 302
    event = ResolutionEvent.objects.get()
    assert (event.outcome, event.value) == (2, None)


@pytest.mark.parametrize("users", [1, 20])
def test_continuous_pages_run_a_fixed_number_of_queries(
    client,
    user,
    staff,
    users,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    question = tokens_question()
    QuestionFactory()  # a binary question beside it in the list
    for forecaster in [UserFactory() for _ in range(users)] + [user]:
        submit_forecast(
            question=question,
            user=forecaster,
            quantiles=[[0.1, 3000], [0.5, 31622.78], [0.9, 300_000]],
        )
    client.force_login(user)
    cache.clear()
    # The list's as for other kinds, plus one standing read for the
    # continuous questions' community (categorical ones have their own).
    with django_assert_max_num_queries(10):
        assert client.get(reverse("forecasts:questions")).status_code == 200
    cache.clear()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("forecasts:question", args=[question.slug]))
    assert 'id="distribution-form"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=question, user=staff, value=131072)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("forecasts:question", args=[question.slug]))
    assert 'id="score-crps"' in page.content.decode()
