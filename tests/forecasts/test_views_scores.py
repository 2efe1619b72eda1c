"""Leaderboard, calibration, the scoring explanation, profiles and chart images."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def scored(staff, capture, forecasts: dict, outcome=1, tags=(), clock=None):
    """Create a question that has closed, with these forecasts, resolved and scored."""
    now = timezone.now()
    if clock:
        clock.set(now - timedelta(days=5))
    question = QuestionFactory(
        open_time=now - timedelta(days=10),
        close_time=now - timedelta(days=1),
        tags=tags,
    )
    for user, p in forecasts.items():
        submit_forecast(question=question, user=user, probability=p)
    if clock:
        clock.set(now)
    with capture(execute=True):
        resolve_question(question=question, user=staff, outcome=outcome)
    return question


@pytest.fixture
def two_forecasters(staff, clock, django_capture_on_commit_callbacks):
    sharp, vague = UserFactory(username="sharp"), UserFactory(username="vague")
    for tag in ("ai", "trade"):
        scored(
            staff,
            django_capture_on_commit_callbacks,
            {vague: 0.5, sharp: 0.9},
            tags=[tag],
            clock=clock,
        )
    return sharp, vague


LEADERBOARD = reverse("forecasts:leaderboard")


def names_in_order(html: str) -> list[str]:
    table = html.split('id="leaderboard"')[1].split("</table>")[0]
    shown = [n for n in ("sharp", "vague", "lucky") if f">{n}</a>" in table]
    return sorted(shown, key=lambda n: table.index(f">{n}</a>"))


def test_leaderboard_ranks_by_brier_and_shows_the_minimum(client, two_forecasters):
    html = client.get(LEADERBOARD).content.decode()
    assert names_in_order(html) == ["sharp", "vague"]
    assert 'id="min-questions">1<' in html
    assert "Points can be gamed" in html
    assert reverse("forecasts:scoring") + "#points" in html


def test_leaderboard_minimum_and_tag_filter(
    client, staff, two_forecasters, django_capture_on_commit_callbacks, clock
):
    lucky = UserFactory(username="lucky")
    scored(staff, django_capture_on_commit_callbacks, {lucky: 0.99}, clock=clock)
    html = client.get(LEADERBOARD).content.decode()
    assert names_in_order(html)[0] == "lucky"
    html = client.get(LEADERBOARD, {"min": 2}).content.decode()
    assert names_in_order(html) == ["sharp", "vague"]
    assert 'id="min-questions">2<' in html
    html = client.get(LEADERBOARD, {"tag": "ai"}).content.decode()
    assert names_in_order(html) == ["sharp", "vague"]


def test_leaderboard_by_relative_brier_and_points(client, two_forecasters):
    for by in ("relative_brier", "points"):
        html = client.get(LEADERBOARD, {"by": by}).content.decode()
        assert names_in_order(html) == ["sharp", "vague"], by


CALIBRATION = reverse("forecasts:calibration")


def test_calibration_page_shows_bins_murphy_terms_and_the_chart(
    client, two_forecasters
):
    html = client.get(CALIBRATION).content.decode()
    bins = html.split('id="calibration-bins"')[1].split("</table>")[0]
    # Two questions, both Yes: 0.5 twice (bin 50–60%), 0.9 twice (90–100%).
    assert "4 forecast probabilities" in bins
    assert "<td>50%–60%</td>" in bins and "<td>90%–100%</td>" in bins
    assert 'id="murphy-terms"' in html and 'id="mse">0.130<' in html
    assert reverse("forecasts:calibration_chart", args=["svg"]) in html


def test_user_calibration_with_tag_and_every_entry(client, two_forecasters):
    sharp, _ = two_forecasters
    url = reverse("forecasts:user_calibration", args=["sharp"])
    html = client.get(url, {"tag": "ai", "mode": "all"}).content.decode()
    assert "1 forecast probability" in html
    chart = reverse("forecasts:user_calibration_chart", args=["sharp", "svg"])
    assert f"{chart}?tag=ai&amp;mode=all" in html


@pytest.mark.parametrize(
    "name, args",
    [
        ("calibration_chart", []),
        ("user_calibration_chart", ["sharp"]),
        ("brier_chart", ["sharp"]),
    ],
)
def test_charts_are_served_as_svg_and_png(client, two_forecasters, name, args):
    svg = client.get(reverse(f"forecasts:{name}", args=[*args, "svg"]))
    assert svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(reverse(f"forecasts:{name}", args=[*args, "png"]))
    assert png["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")


def test_community_chart_image(client, user, binary_question):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    url = reverse("forecasts:community_chart", args=[binary_question.slug, "svg"])
    response = client.get(url)
    assert response["Content-Type"] == "image/svg+xml" and b"<svg" in response.content
    jpg = f"/questions/{binary_question.slug}/community.jpg"
    assert client.get(jpg).status_code == 404


def test_scoring_page_explains_each_score_with_the_worked_example(client, db):
    html = client.get(reverse("forecasts:scoring")).content.decode()
    assert 'id="example-brier">0.1568<' in html  # 72% then Yes: 2 · 0.28²
    for anchor in ("brier", "time-averaged", "relative", "points", "log", "peer"):
        assert f'id="{anchor}"' in html
    assert "Σ<sub>k</sub> (p<sub>k</sub> − o<sub>k</sub>)²" in html


def test_profile_shows_totals_scores_and_charts(client, two_forecasters):
    html = client.get(reverse("forecasts:profile", args=["sharp"])).content.decode()
    assert 'id="mean-brier">0.020<' in html  # 2 · 0.1², held all along
    scores = html.split('id="scores-table"')[1].split("</table>")[0]
    assert scores.count("<tr>") == 3  # header and two questions
    assert reverse("forecasts:brier_chart", args=["sharp", "svg"]) in html
    assert 'id="calibration-bins"' in html


def test_standing_forecasts_are_listed_to_their_owner_only(
    client, user, binary_question
):
    submit_forecast(question=binary_question, user=user, probability=0.31)
    url = reverse("forecasts:profile", args=[user.username])
    assert binary_question.title not in client.get(url).content.decode()
    client.force_login(UserFactory())
    assert binary_question.title not in client.get(url).content.decode()
    client.force_login(user)
    html = client.get(url).content.decode()
    assert 'id="standing-table"' in html and "31%" in html


def test_unknown_user_is_not_found(client, db):
    assert client.get("/users/nobody/").status_code == 404
    assert client.get("/users/nobody/brier.svg").status_code == 404


def many_scores(staff, capture, clock, n_users: int, n_questions: int):
    users = [UserFactory() for _ in range(n_users)]
    for i in range(n_questions):
        forecasts = {u: (1 + 2 * ((i + j) % 5)) / 10 for j, u in enumerate(users)}
        scored(staff, capture, forecasts, outcome=i % 2, tags=["t"], clock=clock)
    return users


# Pages (session and user included): leaderboard cache key (the scoring
# state), rows on a cold cache, and tags; calibration
# points, the questions still waiting for their close, and tags (and the
# user); the profile's user, totals, scores, count, standing, calibration,
# waiting questions, and on one's own profile one's proposals. Images read
# no session.
PAGES = [
    ("leaderboard", [], {"by": "points", "tag": "t"}, 5),
    # Calibration pages: one more for the PIT values of numeric/date scores.
    ("calibration", [], {"mode": "all"}, 6),
    ("user_calibration", ["USER"], {"tag": "t"}, 7),
    ("profile", ["USER"], {}, 10),
    ("scoring", [], {}, 2),
    ("calibration_chart", ["png"], {"mode": "all"}, 1),
    ("user_calibration_chart", ["USER", "svg"], {}, 2),
    ("brier_chart", ["USER", "svg"], {}, 2),
]


@pytest.mark.parametrize("users, questions", [(1, 1), (8, 4)])
@pytest.mark.parametrize("name, args, query, expected", PAGES)
def test_score_pages_run_a_fixed_number_of_queries(
    client,
    staff,
    clock,
    users,
    questions,
    name,
    args,
    query,
    expected,
    django_assert_max_num_queries,
    django_capture_on_commit_callbacks,
):
    forecasters = many_scores(
        staff, django_capture_on_commit_callbacks, clock, users, questions
    )
    client.force_login(forecasters[0])
    args = [forecasters[0].username if a == "USER" else a for a in args]
    if query.get("mode") == "all" and connection.vendor == "postgresql":
        # SET LOCAL enable_memoize = off for the calibration statement, in a
        # savepoint here (its own BEGIN and COMMIT outside a test).
        expected += 3
    with django_assert_max_num_queries(expected):
        response = client.get(reverse(f"forecasts:{name}", args=args), query)
    assert response.status_code == 200


def test_calibration_says_which_resolved_questions_wait_for_their_close(
    client, staff, user, django_capture_on_commit_callbacks
):
    # Resolved early, scheduled to close in 2028: not counted before then.
    later = QuestionFactory(
        title="Will R2 ship before 2028?",
        close_time=datetime(2028, 1, 1, tzinfo=UTC),
        resolve_time=datetime(2028, 1, 1, tzinfo=UTC),
    )
    submit_forecast(question=later, user=user, probability=0.8)
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=later, user=staff, outcome=1)
    for url in ("/calibration/", f"/users/{user.username}/"):
        html = client.get(url).content.decode()
        waiting = html.split('id="waiting-for-close"')[1].split("</div>")[0]
        assert "Will R2 ship before 2028?" in waiting
        assert 'datetime="2028-01-01T00:00:00Z"' in waiting  # counts from then
