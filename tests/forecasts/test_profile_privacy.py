"""A profile does not say on which open questions someone forecast, nor when.

A count that included open questions, polled beside each question's public
ledger_head.entries, would tell who forecast where and when.
"""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from forecasts.services import resolve_question, score_resolution, submit_forecast
from tests.factories import QuestionFactory, UserFactory


@pytest.fixture
def owner(db, staff):
    owner = UserFactory(username="owner")
    secret = QuestionFactory(slug="secret-open", title="Will the secret hold?")
    closed = QuestionFactory(slug="closed-unresolved", title="Closed, not yet out?")
    done = QuestionFactory(slug="done", title="Did it happen?")
    void = QuestionFactory(slug="void", title="Was it void?")
    for question in (secret, closed, done, void):
        submit_forecast(question=question, user=owner, probability=0.3)
    submit_forecast(question=secret, user=owner, probability=0.35)
    event = resolve_question(question=done, user=staff, outcome=1)
    score_resolution(resolution_id=event.pk)
    resolve_question(question=void, user=staff, annulled=True, note="Void.")
    return owner


def shown_count(html: str) -> int:
    """Return the number in the profile's "forecasts on N questions"."""
    return int(re.search(r"forecasts on (\d+)", strip_tags(html)).group(1))


OPEN_TRACES = ("secret-open", "Will the secret hold?", "closed-unresolved")


@pytest.mark.parametrize("visitor", [None, "someone", "staff"])
def test_others_see_resolved_questions_only(client, owner, staff, visitor):
    if visitor == "someone":
        client.force_login(UserFactory())
    elif visitor == "staff":
        client.force_login(staff)
    html = client.get(reverse("forecasts:profile", args=["owner"])).content.decode()
    assert shown_count(html) == 2  # the resolved and the annulled question
    assert not any(trace in html for trace in OPEN_TRACES)
    assert "Did it happen?" in html
    scores = client.get("/api/users/owner/scores/").json()
    assert [row["question"] for row in scores["results"]] == ["done"]


def test_the_owner_sees_their_open_questions_and_counts_them(client, owner):
    client.force_login(owner)
    html = client.get(reverse("forecasts:profile", args=["owner"])).content.decode()
    assert shown_count(html) == 4
    assert "Will the secret hold?" in html and "Closed, not yet out?" in html
