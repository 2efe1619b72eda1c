"""The question page: sanitised text, community, privacy, ledger and results."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from forecasts.services import resolve_question, submit_forecast, update_question
from tests.factories import QuestionFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def page(question):
    return reverse("forecasts:question", args=[question.slug])


def test_markdown_is_rendered_and_scripts_never_survive(client, db):
    question = QuestionFactory(
        body="**Bold** claim <script>alert('x')</script>"
        "\n\n[safe](https://example.com) [bad](javascript:alert(1))"
        '\n\n<img src="x" onerror="alert(2)"><p onclick="alert(3)">hi</p>',
        resolution_criteria="Resolves *Yes* if so.<script>steal()</script>",
    )
    html = client.get(page(question)).content.decode()
    assert "<strong>Bold</strong>" in html and "<em>Yes</em>" in html
    assert "alert(" not in html and "steal()" not in html
    assert "onerror" not in html and "onclick" not in html
    assert 'href="https://example.com"' in html and "javascript:" not in html


def test_page_shows_status_dates_in_utc_for_the_script_tags_and_source(client, db):
    question = QuestionFactory(
        tags=["ai", "release"],
        source_title="The article",
        source_url="https://example.com/article",
    )
    html = client.get(page(question)).content.decode()
    closes = question.close_time.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'<time datetime="{closes}" data-local>' in html
    assert question.close_time.strftime("%Y-%m-%d %H:%M UTC") in html
    assert 'class="status status-open">Open<' in html
    assert ">ai</a>" in html and ">release</a>" in html
    assert '<a href="https://example.com/article"' in html and "The article" in html


def test_clarifications_appear_under_the_criteria(client, user, binary_question):
    submit_forecast(question=binary_question, user=user, probability=0.5)
    update_question(
        question=binary_question, resolution_criteria="Resolves Yes only if **A**."
    )
    html = client.get(page(binary_question)).content.decode()
    criteria = html.split('id="criteria"')[1].split("</section>")[0]
    assert "Clarification of" in criteria and "<strong>A</strong>" in criteria


def test_community_and_market_are_shown_side_by_side(client, binary_question):
    first, second = UserFactory(), UserFactory()
    submit_forecast(question=binary_question, user=first, probability=0.2)
    submit_forecast(question=binary_question, user=second, probability=0.7)
    html = client.get(page(binary_question)).content.decode()
    assert 'id="community-value">45%<' in html  # median of two: (0.2 + 0.7) / 2
    assert 'id="market-value">70%<' in html  # the latest entry
    assert "2 forecasters" in html
    assert 'id="community-chart"' in html and 'id="history-table"' in html


def test_other_users_names_entries_and_rationales_stay_private(
    client, user, binary_question
):
    other = UserFactory(username="secretive")
    submit_forecast(
        question=binary_question, user=other, probability=0.9, rationale="Insider tip"
    )
    client.force_login(user)
    html = client.get(page(binary_question)).content.decode()
    assert "secretive" not in html and "Insider tip" not in html
    assert "You have not forecast this question." in html


def test_hidden_community_shows_after_the_visitor_forecasts(client, user, db):
    question = QuestionFactory(hide_community_until_forecast=True)
    submit_forecast(question=question, user=UserFactory(), probability=0.83)
    client.force_login(user)
    html = client.get(page(question)).content.decode()
    assert 'id="community-hidden"' in html and "83%" not in html
    assert 'id="community-chart"' not in html
    chart = reverse("forecasts:community_chart", args=[question.slug, "svg"])
    assert client.get(chart).status_code == 404
    client.post(page(question), {"probability": "40"})
    html = client.get(page(question)).content.decode()
    assert 'id="market-value">40%<' in html and 'id="community-chart"' in html
    assert client.get(chart).status_code == 200


def test_own_ledger_lists_every_entry_with_time_rationale_and_hash(
    client, user, binary_question
):
    first = submit_forecast(
        question=binary_question, user=user, probability=0.72, rationale="First <b>"
    )
    second = submit_forecast(question=binary_question, user=user, probability=0.65)
    client.force_login(user)
    html = client.get(page(binary_question)).content.decode()
    ledger = html.split('id="ledger-table"')[1].split("</table>")[0]
    assert ledger.index(second.hash[:12]) < ledger.index(first.hash[:12])
    assert "First &lt;b&gt;" in ledger and "72%" in ledger and "65%" in ledger


def resolve(question, staff, capture, **kwargs):
    with capture(execute=True):
        resolve_question(question=question, user=staff, **kwargs)


def test_after_resolution_the_page_shows_outcome_note_source_and_own_scores(
    client, user, staff, binary_question, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=user, probability=0.72)
    resolve(
        binary_question,
        staff,
        django_capture_on_commit_callbacks,
        outcome=1,
        note="Announced on the blog.",
        source_url="https://example.com/news",
    )
    client.force_login(user)
    html = client.get(page(binary_question)).content.decode()
    assert 'id="outcome">Yes<' in html and "Announced on the blog." in html
    assert 'href="https://example.com/news"' in html
    assert 'id="score-brier">0.157<' in html  # 2 · 0.28² = 0.1568
    for score in ("time-averaged", "relative", "points"):
        assert f'id="score-{score}">' in html
    assert reverse("forecasts:scoring") + "#brier" in html
    assert "accepts no forecasts" in html


def test_scores_show_pending_until_they_are_computed(
    client, user, staff, binary_question
):
    submit_forecast(question=binary_question, user=user, probability=0.72)
    resolve_question(question=binary_question, user=staff, outcome=0)
    client.force_login(user)
    html = client.get(page(binary_question)).content.decode()
    assert 'id="scores-pending"' in html and 'id="score-brier"' not in html


def test_annulled_question_says_no_one_is_scored(
    client, staff, binary_question, django_capture_on_commit_callbacks
):
    resolve(
        binary_question,
        staff,
        django_capture_on_commit_callbacks,
        annulled=True,
        note="The premise failed.",
    )
    html = client.get(page(binary_question)).content.decode()
    assert "<h2>Annulled</h2>" in html and "no one is scored" in html


def test_unknown_and_draft_questions_are_not_found(client, db):
    draft = QuestionFactory(publish=False)
    assert client.get(page(draft)).status_code == 404
    assert client.get("/questions/no-such-question/").status_code == 404


def populate(question, n_users: int, viewer, clock) -> None:
    moment = timezone.now()
    for i, user in enumerate([UserFactory() for _ in range(n_users)] + [viewer]):
        for k in range(3):
            clock.set(moment + timedelta(hours=3 * i + k))
            submit_forecast(
                question=question, user=user, probability=0.3 + k / 10, rationale="r"
            )


@pytest.mark.parametrize("users", [1, 25])
def test_question_page_runs_a_fixed_number_of_queries(
    client, user, users, clock, django_assert_max_num_queries
):
    question = QuestionFactory(tags=["a", "b"])
    populate(question, users, user, clock)
    client.force_login(user)
    cache.clear()
    # session, user, question, tags, standing, community, market, own
    # entries, clarifications, community series, comments, proposer
    with django_assert_max_num_queries(12):
        response = client.get(page(question))
    assert response.content.decode().count('class="hash"') == 3


@pytest.mark.parametrize("users", [1, 25])
def test_resolved_question_page_runs_a_fixed_number_of_queries(
    client,
    user,
    staff,
    users,
    clock,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    question = QuestionFactory(tags=["a"])
    populate(question, users, user, clock)
    clock.set(clock.moment + timedelta(hours=1))
    resolve(question, staff, django_capture_on_commit_callbacks, outcome=1)
    client.force_login(user)
    # The above plus the resolution with its scoring, the visitor's score and
    # one page of everyone's (its count is the scoring's).
    with django_assert_max_num_queries(15):
        response = client.get(page(question))
    assert 'id="score-brier"' in response.content.decode()


def test_practice_questions_carry_a_banner(client, db):
    # Made by the practice-set loader: the flag, not the tag, says so.
    practice = QuestionFactory(tags=["practice"], practice=True)
    real = QuestionFactory(tags=["release"])
    tagged = QuestionFactory(tags=["practice"])  # a real question staff tagged
    assert 'id="practice-banner"' in client.get(page(practice)).content.decode()
    assert 'id="practice-banner"' not in client.get(page(real)).content.decode()
    assert 'id="practice-banner"' not in client.get(page(tagged)).content.decode()


@pytest.mark.parametrize("users", [1, 25])
def test_community_chart_runs_a_fixed_number_of_queries(
    client, user, users, clock, django_assert_max_num_queries
):
    question = QuestionFactory()
    populate(question, users, user, clock)
    client.force_login(user)
    cache.clear()
    url = reverse("forecasts:community_chart", args=[question.slug, "png"])
    # session, user, question, tags, own entries, community, community series
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.content.startswith(b"\x89PNG")
