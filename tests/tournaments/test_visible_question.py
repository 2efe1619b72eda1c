"""The forecast write's question lookup sees exactly what visible_questions sees.

`visible_question` runs SQL the ORM built once per kind of viewer; a viewer
must never find through it a question the site's visibility rule hides
(a draft, a question only private tournaments hold), nor miss one it shows.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from forecasts.selectors.questions import visible_question, visible_questions
from tests.factories import QuestionFactory, UserFactory
from tests.tournaments.conftest import make_tournament

SLUGS = ("plain", "draft", "private-only", "shared", "other-private", "missing")


@pytest.fixture
def world(member, outsider, staff):
    QuestionFactory(slug="plain")
    QuestionFactory(slug="draft", publish=False)
    secret = QuestionFactory(slug="private-only")
    shared = QuestionFactory(slug="shared")
    other = QuestionFactory(slug="other-private")
    make_tournament([secret, shared], members=[member])
    make_tournament([shared], visibility="public", slug="open", title="Open")
    make_tournament([other], slug="other", title="Other", members=[outsider])
    return {
        "anonymous": AnonymousUser(),
        "outsider": outsider,
        "member": member,
        "staff": staff,
        "newcomer": UserFactory(username="newcomer"),
    }


@pytest.mark.parametrize(
    "viewer, sees",
    [
        ("anonymous", {"plain", "shared"}),
        ("newcomer", {"plain", "shared"}),
        ("outsider", {"plain", "shared", "other-private"}),
        ("member", {"plain", "shared", "private-only"}),
        ("staff", {"plain", "draft", "private-only", "shared", "other-private"}),
    ],
)
def test_each_viewer_finds_what_the_visibility_rule_shows_and_nothing_else(
    world, viewer, sees
):
    user = world[viewer]
    found = {slug for slug in SLUGS if visible_question(user, slug) is not None}
    assert found == sees
    ruled = {q.slug for q in visible_questions(user) if q.slug in SLUGS}
    assert ruled == sees


def test_the_lookup_returns_the_whole_question(world):
    question = visible_question(world["member"], "private-only")
    fresh = visible_questions(world["member"]).get(slug="private-only")
    assert question == fresh
    assert (question.title, question.close_time, question.kind) == (
        fresh.title,
        fresh.close_time,
        fresh.kind,
    )


def test_a_forecast_on_a_question_the_viewer_may_not_see_is_404(world, clients):
    for slug, status in (("private-only", 404), ("draft", 404), ("plain", 201)):
        response = clients["outsider"].post(
            f"/api/questions/{slug}/forecasts/", {"probability": 0.4}, format="json"
        )
        assert response.status_code == status, slug
    member = clients["member"].post(
        "/api/questions/private-only/forecasts/", {"probability": 0.4}, format="json"
    )
    assert member.status_code == 201
