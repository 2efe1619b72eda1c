"""Scores: a question's scores and community history, a user's scores, leaderboard."""

import math
from datetime import UTC, datetime, timedelta

import pytest

from forecasts.services import resolve_question, submit_forecast
from tests.api.conftest import client_for
from tests.factories import QuestionFactory, UserFactory

T0 = datetime(2025, 3, 1, tzinfo=UTC)


def hours(h: float) -> datetime:
    return T0 + timedelta(hours=h)


@pytest.fixture
def story(db, clock, settings, staff, django_capture_on_commit_callbacks):
    """A forecasts 0.8 at 0h, B 0.6 at 2h; the question closes at 4h, Yes.

    Community C(h), hourly from A's entry: 0.8 at 1h and 2h (B's entry at 2h
    is not before 2h), the median of {0.8, 0.6} = 0.7 at 3h.
    """
    settings.COMMUNITY_STEP_SECONDS = 3600
    clock.set(hours(-1))
    question = QuestionFactory(slug="r2", open_time=T0, close_time=hours(4))
    a, b = UserFactory(username="ada"), UserFactory(username="bob")
    for when, user, p in [(0, a, 0.8), (2, b, 0.6)]:
        clock.set(hours(when))
        submit_forecast(question=question, user=user, probability=p)
    clock.set(hours(4.5))
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff).post(
            "/api/questions/r2/resolve/", {"outcome": "Yes"}, format="json"
        )
    return question, a, b


def by_name(results) -> dict:
    return {row["username"]: row for row in results}


def test_question_scores_match_hand_computation(story, anon):
    page = anon.get("/api/questions/r2/scores/").json()
    assert (page["state"], page["version"], page["count"]) == ("done", 1, 2)
    ada, bob = by_name(page["results"])["ada"], by_name(page["results"])["bob"]
    # Brier of Yes is 2(1 - p)^2: A's 0.8 -> 0.08, B's 0.6 -> 0.32.
    assert (ada["brier"], bob["brier"]) == pytest.approx((0.08, 0.32))
    # A holds 0.08 over [0, 4). B takes C's 0.08 on [1, 2), then 0.32 on [2, 4).
    assert ada["time_averaged_brier"] == pytest.approx(0.08)
    assert bob["time_averaged_brier"] == pytest.approx((0.08 + 0.64) / 3)
    # Relative to C's Brier (0.08 on [1, 3), 2 * 0.3^2 = 0.18 on [3, 4)):
    # A: 0, 0, -0.1; B: 0, 0.24, 0.14; averaged over the 3 hours C exists.
    assert ada["relative_brier"] == pytest.approx(-0.1 / 3)
    assert bob["relative_brier"] == pytest.approx(0.38 / 3)
    assert ada["log_score"] == pytest.approx(math.log(0.8))
    assert ada["baseline"] == pytest.approx(100 * math.log(1.6) / math.log(2))
    # Peer: 100 * 2/1 * ln(p / sqrt(0.8 * 0.6)); the two sum to zero.
    assert ada["peer"] == pytest.approx(200 * math.log(0.8 / math.sqrt(0.48)))
    assert ada["peer"] + bob["peer"] == pytest.approx(0)
    # Points: A moves the market from 0.5 (Brier 0.5) to 0.08: +42;
    # B from A's 0.08 to 0.32: -24.
    assert (ada["points"], bob["points"]) == pytest.approx((42, -24))
    assert ada["rps"] is None and ada["entries"] == 1
    # Best time-averaged Brier first.
    assert [row["username"] for row in page["results"]] == ["ada", "bob"]


def test_user_scores_list_questions_and_totals(story, anon):
    page = anon.get("/api/users/bob/scores/").json()
    assert page["username"] == "bob" and page["count"] == 1
    (row,) = page["results"]
    assert (row["question"], row["version"]) == ("r2", 1)
    assert row["points"] == pytest.approx(-24)
    totals = page["totals"]
    assert totals["questions"] == 1
    assert totals["mean_brier"] == pytest.approx(0.24)
    assert totals["mean_relative_brier"] == pytest.approx(0.38 / 3)
    assert totals["points"] == pytest.approx(-24)


def test_an_unknown_user_is_404(db, anon):
    assert anon.get("/api/users/nobody/scores/").status_code == 404


def test_the_leaderboard_ranks_by_the_chosen_score(story, anon):
    def order(**params):
        rows = anon.get("/api/leaderboard/", params).json()["results"]
        return [(row["username"], round(row["points"])) for row in rows]

    assert order(by="points") == [("ada", 42), ("bob", -24)]
    assert order(by="brier") == [("ada", 42), ("bob", -24)]
    assert order(by="relative_brier") == [("ada", 42), ("bob", -24)]
    assert order(min_questions=2) == []
    assert order(tag="elsewhere") == []


@pytest.mark.parametrize(
    "params", [{"by": "luck"}, {"min_questions": "0"}, {"min_questions": "x"}]
)
def test_bad_leaderboard_parameters_get_400(db, anon, params):
    assert anon.get("/api/leaderboard/", params).status_code == 400


def test_community_history_is_the_stored_series(story, anon):
    page = anon.get("/api/questions/r2/community/").json()
    series = [(row["time"], row["probabilities"][1]) for row in page["results"]]
    assert series[:3] == [
        ("2025-03-01T01:00:00.000000Z", 0.8),
        ("2025-03-01T02:00:00.000000Z", 0.8),
        ("2025-03-01T03:00:00.000000Z", 0.7),
    ]
    assert [row["forecasters"] for row in page["results"][:3]] == [1, 1, 2]


def test_scores_are_pending_until_computed_and_name_nobody_before(
    db, anon, staff, binary_question
):
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.7)
    url = f"/api/questions/{binary_question.slug}/scores/"
    assert anon.get(url).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "state": "unresolved",
        "version": None,
        "results": [],
    }
    # Without running the on-commit callback, scoring has not happened yet.
    resolve_question(question=binary_question, user=staff, outcome=1)
    page = anon.get(url).json()
    assert (page["state"], page["results"]) == ("pending", [])
    question = anon.get(f"/api/questions/{binary_question.slug}/").json()
    assert question["resolution"]["scoring"] == "pending"


def test_an_annulled_question_has_no_scores(db, anon, staff, binary_question):
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.7)
    resolve_question(question=binary_question, user=staff, annulled=True, note="Void")
    page = anon.get(f"/api/questions/{binary_question.slug}/scores/").json()
    assert (page["state"], page["count"]) == ("annulled", 0)


def test_hidden_community_history_needs_a_forecast(db, anon, user, user_api):
    question = QuestionFactory(hide_community_until_forecast=True)
    submit_forecast(question=question, user=UserFactory(), probability=0.3)
    url = f"/api/questions/{question.slug}/community/"
    assert anon.get(url).status_code == 403
    assert user_api.get(url).status_code == 403
    submit_forecast(question=question, user=user, probability=0.5)
    assert user_api.get(url).status_code == 200


def resolved_with(n_users: int, staff, capture) -> str:
    question = QuestionFactory()
    for i in range(n_users):
        submit_forecast(
            question=question, user=UserFactory(), probability=round(0.1 + i / 100, 2)
        )
    with capture(execute=True):
        resolve_question(question=question, user=staff, outcome=1)
    return question.slug


@pytest.mark.parametrize("n", [2, 30])
def test_question_scores_take_a_fixed_number_of_queries(
    db,
    n,
    anon,
    staff,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    slug = resolved_with(n, staff, django_capture_on_commit_callbacks)
    # Question, tags, latest resolution, count, page with users.
    with django_assert_max_num_queries(5):
        page = anon.get(f"/api/questions/{slug}/scores/", {"page_size": 100}).json()
    assert page["count"] == n


@pytest.mark.parametrize("n", [1, 12])
def test_user_scores_and_leaderboard_take_a_fixed_number_of_queries(
    db,
    n,
    anon,
    staff,
    django_capture_on_commit_callbacks,
    django_assert_max_num_queries,
):
    users = [UserFactory() for _ in range(3)]
    for _ in range(n):
        question = QuestionFactory()
        for user in users:
            submit_forecast(question=question, user=user, probability=0.6)
        with django_capture_on_commit_callbacks(execute=True):
            resolve_question(question=question, user=staff, outcome=1)
    # User, totals, count, page.
    with django_assert_max_num_queries(4):
        page = anon.get(f"/api/users/{users[0].username}/scores/").json()
    assert page["totals"]["questions"] == n and page["count"] == n
    # Count, page.
    with django_assert_max_num_queries(2):
        assert anon.get("/api/leaderboard/").json()["count"] == 3


@pytest.mark.parametrize("hours_open", [3, 40])
def test_community_history_takes_a_fixed_number_of_queries(
    db, hours_open, clock, anon, django_assert_max_num_queries
):
    clock.set(hours(-1))
    question = QuestionFactory(open_time=T0, close_time=hours(100))
    for h in range(hours_open):
        clock.set(hours(h))
        submit_forecast(question=question, user=UserFactory(), probability=0.5)
    from forecasts.services import extend_community_series

    extend_community_series(question=question, until=hours(hours_open))
    # Question, tags, count, page.
    with django_assert_max_num_queries(4):
        page = anon.get(f"/api/questions/{question.slug}/community/").json()
    assert page["count"] == hours_open - 1
