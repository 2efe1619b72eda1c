"""The tournament leaderboard: coverage, means and points from the stored scores."""

import pytest
from django.test import Client

from forecasts import scoring
from forecasts.selectors.calibration import calibration_for, calibration_points
from tests.factories import QuestionFactory, UserFactory
from tests.tournaments.conftest import client_for, make_tournament
from tournaments.selectors import tournament_calibration


@pytest.fixture
def board(resolve, staff):
    """Three resolved questions, one annulled and one open, in a private round.

    Every forecast is made at the open time (see `resolve`), so the
    time-averaged Brier is the forecast's Brier, 2·(1 − p)² on Yes and 2·p²
    on No; with two forecasters the community is their mean (equal weights),
    so relative Brier is Brier(p) − Brier(mean). Points: the first entry
    trades against the uniform market (Brier 0.5), the next against it.
    """
    ann, ben, cat = (UserFactory(username=n) for n in ("ann", "ben", "cat"))
    questions = [
        # Yes. ann 0.9: 0.02; ben 0.6: 0.32; community 0.75: 0.125.
        # Points: ann 100·(0.5 − 0.02) = 48, ben 100·(0.02 − 0.32) = −30.
        resolve([(ann, "0.9"), (ben, "0.6")], outcome=1),
        # No. ann 0.2: 0.08; cat 0.4: 0.32; community 0.3: 0.18.
        # Points: ann 100·(0.5 − 0.08) = 42, cat 100·(0.08 − 0.32) = −24.
        resolve([(ann, "0.2"), (cat, "0.4")], outcome=0),
        # Yes. ann alone at 0.7: 0.18, the community is hers (relative 0);
        # points 100·(0.5 − 0.18) = 32.
        resolve([(ann, "0.7")], outcome=1),
        # Annulled: never counts, not even in the number of questions.
        resolve([(ben, "0.5")], annul=True),
        QuestionFactory(),  # open: not resolved, not counted
    ]
    tournament = make_tournament(questions, members=[ann, ben, cat])
    return tournament, client_for(staff)


def rows(client, tournament, **params):
    response = client.get(f"/api/tournaments/{tournament.slug}/leaderboard/", params)
    assert response.status_code == 200, response.json()
    return [
        {k: round(v, 6) if isinstance(v, float) else v for k, v in row.items()}
        for row in response.json()["results"]
    ]


def test_rows_carry_coverage_means_and_points_computed_by_hand(board):
    tournament, client = board
    assert rows(client, tournament, min_coverage="0") == [
        # ann: (0.02 + 0.08 + 0.18)/3; relative (−0.105 − 0.1 + 0)/3.
        {
            "username": "ann",
            "questions": 3,
            "coverage": 1.0,
            "mean_brier": 0.093333,
            "mean_relative_brier": -0.068333,
            "points": 122.0,
        },
        # ben and cat tie on 0.32: by username.
        {
            "username": "ben",
            "questions": 1,
            "coverage": 0.333333,
            "mean_brier": 0.32,
            "mean_relative_brier": 0.195,  # 0.32 − 0.125
            "points": -30.0,
        },
        {
            "username": "cat",
            "questions": 1,
            "coverage": 0.333333,
            "mean_brier": 0.32,
            "mean_relative_brier": 0.14,  # 0.32 − 0.18
            "points": -24.0,
        },
    ]


@pytest.mark.parametrize(
    "by, order",
    [
        ("brier", ["ann", "ben", "cat"]),
        ("relative_brier", ["ann", "cat", "ben"]),
        ("points", ["ann", "cat", "ben"]),
    ],
)
def test_ranked_by_the_chosen_score(board, by, order):
    tournament, client = board
    ranked = rows(client, tournament, by=by, min_coverage="0")
    assert [row["username"] for row in ranked] == order


@pytest.mark.parametrize(
    "min_coverage, shown",
    [
        (None, ["ann"]),  # the default, 0.5: one question of three is too few
        ("0.33", ["ann", "ben", "cat"]),  # 1/3 ≥ 0.33
        ("0.34", ["ann"]),  # 1/3 < 0.34
        ("1", ["ann"]),
    ],
)
def test_min_coverage_leaves_out_forecasters_scored_on_too_few(
    board, min_coverage, shown
):
    tournament, client = board
    params = {} if min_coverage is None else {"min_coverage": min_coverage}
    assert [row["username"] for row in rows(client, tournament, **params)] == shown


@pytest.mark.parametrize(
    "params, field",
    [
        ({"min_coverage": "1.5"}, "min_coverage"),
        ({"min_coverage": "-0.1"}, "min_coverage"),
        ({"min_coverage": "half"}, "min_coverage"),
        ({"min_coverage": "NaN"}, "min_coverage"),
        ({"by": "luck"}, "by"),
    ],
)
def test_bad_leaderboard_options_are_400_naming_the_field(board, params, field):
    tournament, client = board
    url = f"/api/tournaments/{tournament.slug}/leaderboard/"
    response = client.get(url, params)
    assert response.status_code == 400
    assert list(response.json()) == [field]


def test_the_page_shows_the_same_rows_and_percent_coverage(board, staff):
    tournament, _ = board
    browser = Client()
    browser.force_login(staff)
    html = browser.get(f"/tournaments/{tournament.slug}/?min_coverage=0").content
    table = html.decode().split('id="tournament-leaderboard"')[1].split("</table>")[0]
    assert table.index(">ann<") < table.index(">ben<") < table.index(">cat<")
    assert '<td class="num coverage">33%</td>' in table
    assert '<td class="num brier">0.093</td>' in table
    # Points with one decimal, as on every page (issue 13); relative Brier
    # (−0.105 − 0.1 + 0)/3 = −0.068 with a true minus sign.
    assert '<td class="num points">122.0</td>' in table
    assert '<td class="num relative">−0.068</td>' in table


def test_the_page_defaults_to_half_coverage_shown_as_percent(board, staff):
    tournament, _ = board
    browser = Client()
    browser.force_login(staff)
    html = browser.get(f"/tournaments/{tournament.slug}/").content.decode()
    assert 'id="min-coverage">50%<' in html
    table = html.split('id="tournament-leaderboard"')[1].split("</table>")[0]
    assert ">ann<" in table and ">ben<" not in table


def test_a_bad_option_on_the_page_is_400_with_the_error_by_its_field(board, staff):
    tournament, _ = board
    browser = Client()
    browser.force_login(staff)
    response = browser.get(f"/tournaments/{tournament.slug}/?min_coverage=2")
    assert response.status_code == 400
    html = response.content.decode()
    field = html.split('for="id_min_coverage"')[1].split("</div>")[0]
    assert "Enter a fraction from 0 to 1" in field


def test_the_tournament_calibration_counts_its_questions_only(board, resolve, staff):
    tournament, client = board
    outside = UserFactory()
    resolve([(outside, "0.3")], outcome=1)  # public, not in the tournament
    # The site-wide table with the tournament's questions only: ann's 0.9,
    # 0.2, 0.7, ben's 0.6 and cat's 0.4 — five final forecasts.
    assert tournament_calibration(tournament).n == 5
    # The same engine and points as the site-wide reads, narrowed.
    ids = tournament.questions.values("pk")
    table = calibration_for(questions=ids)
    reference = scoring.calibration(*calibration_points(questions=ids))
    assert [b.count for b in table.bins] == [b.count for b in reference.bins]
    assert calibration_for(questions=ids, mode="all").n == 5  # one entry each
    browser = Client()
    browser.force_login(staff)
    chart = browser.get(f"/tournaments/{tournament.slug}/calibration.svg")
    assert chart.status_code == 200 and chart["Content-Type"] == "image/svg+xml"


def test_the_page_form_shows_the_default_options(board, staff):
    tournament, _ = board
    browser = Client()
    browser.force_login(staff)
    html = browser.get(f"/tournaments/{tournament.slug}/").content.decode()
    assert 'name="min_coverage" value="0.5"' in html
    assert '<option value="brier" selected>' in html
