"""Resolving: POST /api/questions/{slug}/resolve/ and POST .../publish/."""

import pytest

from forecasts.models import ResolutionEvent
from forecasts.services import resolve_question, submit_forecast
from tests.api.conftest import row_counts
from tests.factories import QuestionFactory, UserFactory


def url(question) -> str:
    return f"/api/questions/{question.slug}/resolve/"


def resolve(client, question, capture, **body):
    with capture(execute=True):
        return client.post(url(question), body, format="json")


def test_staff_resolve_and_scores_follow(
    db, staff_api, binary_question, django_capture_on_commit_callbacks
):
    submit_forecast(question=binary_question, user=UserFactory(), probability=0.7)
    response = resolve(
        staff_api,
        binary_question,
        django_capture_on_commit_callbacks,
        outcome="Yes",
        note="Released.",
        source_url="https://example.com/r2",
    )
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "resolved"
    resolution = data["resolution"]
    assert (resolution["outcome"], resolution["annulled"]) == ("Yes", False)
    assert resolution["source_url"] == "https://example.com/r2"
    scores = staff_api.get(f"/api/questions/{binary_question.slug}/scores/").json()
    assert (scores["state"], scores["count"]) == ("done", 1)
    # 0.7 on Yes: Brier 2 * 0.3^2 = 0.18.
    assert scores["results"][0]["brier"] == pytest.approx(0.18)


def test_a_multiple_choice_question_resolves_to_an_option_label(
    db, staff_api, mc_question, django_capture_on_commit_callbacks
):
    response = resolve(
        staff_api, mc_question, django_capture_on_commit_callbacks, outcome="Mid"
    )
    assert response.json()["resolution"]["outcome"] == "Mid"
    assert ResolutionEvent.objects.get().outcome == 1


def test_annulling_needs_a_note_and_shows_annulled(db, staff_api, binary_question):
    refused = staff_api.post(url(binary_question), {"annulled": True}, format="json")
    assert refused.json() == {"note": ["Say why the question is annulled."]}
    response = staff_api.post(
        url(binary_question), {"annulled": True, "note": "Void."}, format="json"
    )
    assert response.json()["status"] == "annulled"
    assert response.json()["resolution"]["outcome"] is None


def test_resolving_twice_is_a_conflict_until_re_resolve_with_a_note(
    db, staff, staff_api, binary_question
):
    resolve_question(question=binary_question, user=staff, outcome=1)
    again = staff_api.post(url(binary_question), {"outcome": "No"}, format="json")
    assert again.status_code == 409
    assert "re_resolve" in again.json()["detail"]
    no_note = staff_api.post(
        url(binary_question), {"outcome": "No", "re_resolve": True}, format="json"
    )
    assert no_note.json() == {"note": ["Say why the resolution changes."]}
    changed = staff_api.post(
        url(binary_question),
        {"outcome": "No", "re_resolve": True, "note": "Misread the date."},
        format="json",
    )
    assert changed.status_code == 200
    assert changed.json()["resolution"]["version"] == 2
    assert changed.json()["resolution"]["outcome"] == "No"


def test_an_expected_version_that_is_not_the_latest_is_a_conflict(
    db, staff, staff_api, binary_question
):
    resolve_question(question=binary_question, user=staff, outcome=1)
    body = {"outcome": "No", "re_resolve": True, "note": "x", "expected_version": 0}
    response = staff_api.post(url(binary_question), body, format="json")
    assert response.status_code == 409
    assert response.json() == {"detail": "The latest resolution version is 1, not 0."}
    body["expected_version"] = 1
    assert staff_api.post(url(binary_question), body, format="json").status_code == 200


@pytest.mark.parametrize(
    "body, field",
    [
        ({"outcome": "Maybe"}, "outcome"),
        ({"outcome": 1}, "outcome"),
        ({"outcome": None}, "outcome"),
        ({}, "outcome"),
        ({"outcome": "Yes", "annulled": True, "note": "x"}, "outcome"),
        ({"outcome": "Yes", "effective_at": "2999-01-01T00:00:00Z"}, "effective_at"),
        ({"outcome": "Yes", "effective_at": "2000-01-01T00:00:00Z"}, "effective_at"),
        ({"outcome": "Yes", "source_url": "ftp://x.org/a"}, "source_url"),
        ({"outcome": "Yes", "re_resolve": True, "note": "x"}, "re_resolve"),
        ({"outcome": "Yes", "re_resolve": "true"}, "re_resolve"),
        ({"outcome": "Yes", "expected_version": "0"}, "expected_version"),
        ({"outcome": "Yes", "winner": "me"}, "winner"),
    ],
)
def test_bad_resolutions_get_400_and_write_nothing(
    db, staff_api, binary_question, body, field
):
    before = row_counts()
    response = staff_api.post(url(binary_question), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert row_counts() == before


def test_the_unknown_option_error_lists_the_options(db, staff_api, mc_question):
    response = staff_api.post(url(mc_question), {"outcome": "High!"}, format="json")
    assert response.json() == {"outcome": ["Choose one of: Low, Mid, High."]}


def test_a_draft_must_be_published_before_resolving(db, staff_api):
    draft = QuestionFactory(publish=False)
    response = staff_api.post(url(draft), {"outcome": "Yes"}, format="json")
    assert response.json() == {
        "question": ["Publish the question before resolving it."]
    }


@pytest.mark.parametrize("who, status", [("anon", 401), ("user_api", 403)])
def test_only_staff_resolve(db, request, binary_question, who, status):
    client = request.getfixturevalue(who)
    response = client.post(url(binary_question), {"outcome": "Yes"}, format="json")
    assert response.status_code == status
    assert not ResolutionEvent.objects.exists()
