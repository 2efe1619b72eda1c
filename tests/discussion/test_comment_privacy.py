"""A comment never reveals its author's forecast before resolution; after, the
forecast they held when they wrote it."""

from datetime import timedelta

import pytest

from discussion.services import post_comment
from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

pytestmark = pytest.mark.core


@pytest.fixture
def discussed(db, clock, staff):
    """Ann forecasts 30%, comments, then forecasts 80%; Bob comments, never forecast."""
    start = clock.moment
    question = QuestionFactory(open_time=start - timedelta(days=1))
    ann, bob = UserFactory(username="ann"), UserFactory(username="bob")
    submit_forecast(question=question, user=ann, probability=0.3)
    clock.set(start + timedelta(minutes=5))
    post_comment(question=question, author=ann, body="Thirty feels right.")
    clock.set(start + timedelta(minutes=10))
    submit_forecast(question=question, user=ann, probability=0.8)
    post_comment(question=question, author=bob, body="No forecast from me.")
    clock.set(start + timedelta(minutes=20))
    return question


def resolve(question, staff, capture, **outcome):
    with capture(execute=True):
        resolve_question(question=question, user=staff, **outcome)


def api_forecasts(client, question) -> dict:
    rows = client.get(f"/api/questions/{question.slug}/comments/").json()["results"]
    return {row["username"]: row["author_forecast"] for row in rows}


def page_html(client, question) -> str:
    return client.get(f"/questions/{question.slug}/").content.decode()


def comments_section(html: str) -> str:
    return html[
        html.index('id="comments"') : html.index(
            "</section>", html.index('id="comments"')
        )
    ]


def test_before_resolution_no_comment_shows_a_forecast(anon, client, discussed):
    assert api_forecasts(anon, discussed) == {"ann": None, "bob": None}
    section = comments_section(page_html(client, discussed))
    assert "Thirty feels right." in section
    assert "comment-forecast" not in section
    assert "30%" not in section and "80%" not in section


def test_after_resolution_a_comment_shows_the_forecast_held_when_written(
    anon, client, discussed, staff, django_capture_on_commit_callbacks
):
    resolve(discussed, staff, django_capture_on_commit_callbacks, outcome=1)
    # Ann's comment came between her 30% and her 80%: it shows 30% (P(No) 70%).
    assert api_forecasts(anon, discussed) == {
        "ann": {"probabilities": [0.7, 0.3]},
        "bob": None,
    }
    section = comments_section(page_html(client, discussed))
    assert "forecast then: 30%" in section
    assert "80%" not in section


def test_an_annulled_question_reveals_them_too(
    anon, discussed, staff, django_capture_on_commit_callbacks
):
    resolve(
        discussed,
        staff,
        django_capture_on_commit_callbacks,
        annulled=True,
        note="The event was cancelled.",
    )
    assert api_forecasts(anon, discussed)["ann"] == {"probabilities": [0.7, 0.3]}


def test_a_deleted_comment_shows_no_forecast_even_after_resolution(
    anon, discussed, staff, django_capture_on_commit_callbacks
):
    comment = discussed.comments.get(author__username="ann")
    from discussion.services import delete_comment

    delete_comment(comment=comment, user=staff)
    resolve(discussed, staff, django_capture_on_commit_callbacks, outcome=1)
    rows = anon.get(f"/api/questions/{discussed.slug}/comments/").json()["results"]
    assert rows[0]["deleted"] and rows[0]["author_forecast"] is None


@pytest.mark.parametrize("comments", [2, 30])
def test_the_comment_list_runs_a_fixed_number_of_queries(
    anon,
    staff,
    comments,
    clock,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    question = QuestionFactory(open_time=clock.moment - timedelta(days=1))
    for i in range(comments):
        author = UserFactory()
        submit_forecast(question=question, user=author, probability=0.6)
        clock.set(clock.moment + timedelta(seconds=1))
        top = post_comment(question=question, author=author, body=f"Comment {i}")
        post_comment(question=question, author=staff, body="Reply", parent=top.pk)
    resolve(question, staff, django_capture_on_commit_callbacks, outcome=1)
    url = f"/api/questions/{question.slug}/comments/"
    # question with head, count, the page of comments with authors and forecasts.
    with django_assert_max_num_queries(3):
        response = anon.get(url, {"page_size": 100})
    rows = response.json()["results"]
    assert len(rows) == 2 * comments
    assert rows[0]["author_forecast"] == {"probabilities": [0.4, 0.6]}


@pytest.mark.parametrize("comments", [2, 30])
def test_the_question_page_runs_a_fixed_number_of_queries_whatever_the_comments(
    client, user, comments, clock, django_assert_max_num_queries
):
    question = QuestionFactory()
    for i in range(comments):
        top = post_comment(question=question, author=UserFactory(), body=f"C{i}")
        post_comment(question=question, author=user, body="Reply", parent=top.pk)
    client.force_login(user)
    # As tests/forecasts/test_views_question_page.py counts, comments included.
    with django_assert_max_num_queries(12):
        response = client.get(f"/questions/{question.slug}/")
    assert response.content.decode().count('class="comment"') == 2 * comments


def test_a_numeric_questions_comment_shows_the_authors_cdf_after_resolution(
    db, clock, staff, anon, django_capture_on_commit_callbacks
):
    # A closed 0..100 linear range; the uniform CDF F(u) = u has median 50.
    question = QuestionFactory(
        kind="numeric",
        range_min=0.0,
        range_max=100.0,
        open_time=clock.moment - timedelta(days=1),
    )
    ann = UserFactory(username="ann")
    uniform = [i / 200 for i in range(201)]
    submit_forecast(question=question, user=ann, cdf=uniform)
    clock.set(clock.moment + timedelta(minutes=5))
    post_comment(question=question, author=ann, body="Anywhere.")
    assert api_forecasts(anon, question) == {"ann": None}
    clock.set(clock.moment + timedelta(minutes=5))
    resolve(question, staff, django_capture_on_commit_callbacks, value=30.0)
    shown = api_forecasts(anon, question)["ann"]
    assert shown["cdf"] == pytest.approx(uniform, abs=1e-9)
    assert shown["quantiles"]["0.5"] == pytest.approx(50.0)
    page = anon.get(f"/questions/{question.slug}/").content.decode()
    # The page's summary of the same CDF: median 50, 80% interval 10 to 90.
    forecast = page.split('class="comment-forecast"')[1].split("</span>")[0]
    assert "50" in forecast and "10" in forecast and "90" in forecast
