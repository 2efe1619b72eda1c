"""Private-only questions never count site-wide nor on public profiles.

They count on the forecaster's own view of their profile, so what a cached
site-wide read shows is the same for every viewer.
"""

import pytest
from django.test import Client

from forecasts.models import Question, Tag
from tests.factories import UserFactory
from tests.tournaments.conftest import client_for, make_tournament
from tournaments.services import create_tournament


@pytest.fixture
def scored(resolve, member):
    """The member scored on a private-only question (0.9, Yes: Brier 0.02)
    and on a public one (0.6, Yes: Brier 0.32)."""
    secret = resolve([(member, "0.9")], outcome=1)
    public = resolve([(member, "0.6")], outcome=1)
    make_tournament([secret], members=[member])
    return secret, public


def leaderboard_rows(client, query=""):
    return client.get(f"/api/leaderboard/{query}").json()["results"]


@pytest.mark.parametrize("viewer", [None, "member", "staff"])
def test_the_global_leaderboard_counts_public_questions_only_for_anyone(
    scored, member, staff, viewer
):
    client = client_for({"member": member, "staff": staff}.get(viewer))
    (row,) = leaderboard_rows(client)
    assert (row["username"], row["questions"]) == ("member", 1)
    assert row["mean_brier"] == pytest.approx(0.32)  # the public question's
    page = Client()
    if viewer:
        page.force_login({"member": member, "staff": staff}[viewer])
    table = page.get("/leaderboard/").content.decode().split('id="leaderboard"')[1]
    assert '<td class="num brier">0.320</td>' in table


@pytest.mark.parametrize("viewer", [None, "member", "staff"])
def test_site_wide_calibration_leaves_private_only_questions_out(
    scored, member, staff, viewer
):
    client = client_for({"member": member, "staff": staff}.get(viewer))
    assert client.get("/api/calibration/").json()["n"] == 1


def test_a_public_profile_leaves_private_only_questions_out(scored, member):
    secret, public = scored
    for viewer in (None, UserFactory(), UserFactory(is_staff=True)):
        client = client_for(viewer)
        body = client.get("/api/users/member/scores/").json()
        assert [row["question"] for row in body["results"]] == [public.slug]
        assert body["totals"]["questions"] == 1
        assert client.get("/api/users/member/calibration/").json()["n"] == 1
        page = Client()
        if viewer:
            page.force_login(viewer)
        html = page.get("/users/member/").content.decode()
        assert public.title in html and secret.title not in html


def test_the_forecasters_own_profile_counts_them(scored, member):
    secret, public = scored
    client = client_for(member)
    body = client.get("/api/users/member/scores/").json()
    assert {row["question"] for row in body["results"]} == {secret.slug, public.slug}
    assert body["totals"]["mean_brier"] == pytest.approx((0.02 + 0.32) / 2)
    assert client.get("/api/users/member/calibration/").json()["n"] == 2
    page = Client()
    page.force_login(member)
    html = page.get("/users/member/").content.decode()
    assert public.title in html and secret.title in html
    assert "calibration.svg?private=1" in html


def test_own_charts_count_them_only_for_the_forecaster(scored, member):
    page = Client()
    public_chart = page.get("/users/member/calibration.svg?private=1").content
    page.force_login(member)
    own_chart = page.get("/users/member/calibration.svg?private=1").content
    assert own_chart != public_chart
    page.force_login(UserFactory())
    assert page.get("/users/member/calibration.svg?private=1").content == public_chart


def test_a_cached_leaderboard_drops_questions_made_private_at_once(
    resolve, member, django_capture_on_commit_callbacks
):
    secret = resolve([(member, "0.9")], outcome=1)
    resolve([(member, "0.6")], outcome=1)
    anon = client_for(None)
    assert leaderboard_rows(anon)[0]["questions"] == 2  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        create_tournament(
            slug="later",
            title="Made private later",
            start_time=secret.open_time,
            end_time=secret.close_time,
            visibility="private",
            questions=[Question.objects.get(pk=secret.pk)],
        )
    assert leaderboard_rows(anon)[0]["questions"] == 1


def test_a_tag_filtered_cached_leaderboard_drops_them_at_once_too(resolve, member):
    secret = resolve([(member, "0.9")], outcome=1)
    secret.tags.add(Tag.objects.create(slug="round"))
    anon = client_for(None)
    assert leaderboard_rows(anon, "?tag=round")[0]["questions"] == 1  # now cached
    create_tournament(
        slug="later",
        title="Made private later",
        start_time=secret.open_time,
        end_time=secret.close_time,
        visibility="private",
        questions=[Question.objects.get(pk=secret.pk)],
    )
    assert leaderboard_rows(anon, "?tag=round") == []
