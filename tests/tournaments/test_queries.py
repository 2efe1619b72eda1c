"""Tournament reads run a fixed number of queries whatever the number of members."""

import pytest
from django.test import Client

from tests.factories import QuestionFactory, UserFactory
from tests.tournaments.conftest import client_for, make_tournament


@pytest.fixture(params=[(1, 1), (8, 4)], ids=["small", "larger"])
def round_of(request, resolve):
    """A private round: n forecasters, all members, k resolved questions and
    one open question."""
    n, k = request.param
    users = [UserFactory() for _ in range(n)]
    questions = [resolve([(u, "0.7") for u in users], outcome=i % 2) for i in range(k)]
    questions.append(QuestionFactory())
    return make_tournament(questions, members=users), users


# The page: session, user, the tournament with membership; its questions with
# their heads, their tags, the own forecasts, community and market; the count
# of resolved questions and the leaderboard rows. SQLite reads the community
# in two queries, PostgreSQL in one.
PAGE_QUERIES = 10


def test_the_tournament_page_runs_a_fixed_number_of_queries(
    round_of, django_assert_max_num_queries
):
    tournament, users = round_of
    page = Client()
    page.force_login(users[0])
    with django_assert_max_num_queries(PAGE_QUERIES):
        response = page.get(f"/tournaments/{tournament.slug}/?min_coverage=0")
    assert response.status_code == 200
    assert response.content.decode().count('class="num coverage"') == len(users)


# Token, the tournament with membership, count of resolved questions, rows.
def test_the_leaderboard_api_runs_a_fixed_number_of_queries(
    round_of, django_assert_max_num_queries
):
    tournament, users = round_of
    client = client_for(users[0])
    url = f"/api/tournaments/{tournament.slug}/leaderboard/"
    with django_assert_max_num_queries(4):
        response = client.get(url, {"min_coverage": "0"})
    assert len(response.json()["results"]) == len(users)


# Token, count, tournaments with membership, their visible questions.
def test_the_tournament_list_api_runs_a_fixed_number_of_queries(
    round_of, django_assert_max_num_queries
):
    tournament, users = round_of
    for i in range(3):
        make_tournament(
            tournament.questions.all(), visibility="public", slug=f"public-{i}"
        )
    client = client_for(users[0])
    with django_assert_max_num_queries(4):
        response = client.get("/api/tournaments/")
    assert response.json()["count"] == 4


def test_the_tournament_calibration_chart_runs_a_fixed_number_of_queries(
    round_of, django_assert_max_num_queries
):
    tournament, users = round_of
    page = Client()
    page.force_login(users[0])
    # Session, user, tournament, the binned sums.
    with django_assert_max_num_queries(4):
        response = page.get(f"/tournaments/{tournament.slug}/calibration.png")
    assert response.status_code == 200
