"""Questions: GET/POST /api/questions/, GET /api/questions/{slug}/, publish."""

from datetime import timedelta

import pytest
from django.utils import timezone

from forecasts.models import Question
from forecasts.services import resolve_question, submit_forecast
from tests.api.conftest import row_counts
from tests.factories import QuestionFactory, UserFactory

LIST = "/api/questions/"


def detail(question) -> str:
    return f"/api/questions/{question.slug}/"


def new_question(**fields) -> dict:
    now = timezone.now()
    return {
        "slug": "r2-multimodal",
        "title": "Will R2 take images?",
        "body": "Background.",
        "resolution_criteria": "Yes if it does.",
        "open_time": now.isoformat(),
        "close_time": (now + timedelta(days=30)).isoformat(),
        **fields,
    }


def slugs(response) -> list[str]:
    return [q["slug"] for q in response.json()["results"]]


def test_the_list_is_paginated_with_count_next_previous(db, anon):
    for _ in range(3):
        QuestionFactory()
    page = anon.get(LIST, {"page_size": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2
    assert page["previous"] is None and "page=2" in page["next"]
    last = anon.get(page["next"]).json()
    assert len(last["results"]) == 1 and last["next"] is None


def test_a_question_shows_community_market_and_ledger_head(db, anon, binary_question):
    a, b = UserFactory(), UserFactory()
    submit_forecast(question=binary_question, user=a, probability=0.2)
    entry = submit_forecast(question=binary_question, user=b, probability=0.6)
    data = anon.get(detail(binary_question)).json()
    assert data["status"] == "open"
    # Two forecasters weigh equally: the median of 0.2 and 0.6 is 0.4.
    assert data["community"] == {"probabilities": [0.6, 0.4], "forecasters": 2}
    assert data["market"] == {"probabilities": [0.4, 0.6]}
    assert data["ledger_head"] == {"entries": 2, "hash": entry.hash}
    assert data["resolution"] is None and data["my_forecast"] is None


def test_hidden_community_shows_only_to_those_who_forecast(db, anon, user, user_api):
    question = QuestionFactory(hide_community_until_forecast=True)
    submit_forecast(question=question, user=UserFactory(), probability=0.3)
    for client in (anon, user_api):
        data = client.get(detail(question)).json()
        assert (data["community"], data["market"]) == (None, None)
    submit_forecast(question=question, user=user, probability=0.5)
    data = user_api.get(detail(question)).json()
    assert data["community"]["forecasters"] == 2
    assert data["my_forecast"] == {"probabilities": [0.5, 0.5]}
    assert data["market"] == {"probabilities": [0.5, 0.5]}


def test_hidden_community_shows_to_staff(db, staff_api):
    question = QuestionFactory(hide_community_until_forecast=True)
    submit_forecast(question=question, user=UserFactory(), probability=0.3)
    assert staff_api.get(detail(question)).json()["community"] is not None


def test_the_list_filters_by_status_tag_and_words(db, anon, staff):
    now = timezone.now()
    QuestionFactory(slug="open-one", title="R2 context window", tags=["context"])
    QuestionFactory(
        slug="closed-one",
        open_time=now - timedelta(days=9),
        close_time=now - timedelta(days=1),
    )
    resolved = QuestionFactory(slug="resolved-one", tags=["context"])
    resolve_question(question=resolved, user=staff, outcome=0)
    assert slugs(anon.get(LIST, {"status": "open"})) == ["open-one"]
    assert slugs(anon.get(LIST, {"status": "closed"})) == ["closed-one"]
    assert slugs(anon.get(LIST, {"status": "resolved"})) == ["resolved-one"]
    assert sorted(slugs(anon.get(LIST, {"tag": "context"}))) == [
        "open-one",
        "resolved-one",
    ]
    assert slugs(anon.get(LIST, {"search": "context window"})) == ["open-one"]


@pytest.mark.parametrize(
    "params, field",
    [
        ({"status": "pending"}, "status"),
        ({"tag": "no spaces"}, "tag"),
        ({"search": "nul\x00"}, "search"),
        ({"page": "two"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "-1"}, "page_size"),
    ],
)
def test_bad_query_parameters_get_400(db, anon, params, field):
    response = anon.get(LIST, params)
    assert response.status_code == 400
    assert field in response.json()


def test_a_page_past_the_end_is_404(db, anon):
    assert anon.get(LIST, {"page": "3"}).status_code == 404


def test_drafts_are_hidden_from_everyone_but_staff(db, anon, user_api, staff_api):
    draft = QuestionFactory(publish=False)
    for client in (anon, user_api):
        assert slugs(client.get(LIST)) == []
        assert client.get(detail(draft)).status_code == 404
    assert slugs(staff_api.get(LIST, {"status": "draft"})) == [draft.slug]
    assert staff_api.get(detail(draft)).json()["status"] == "draft"


def test_staff_create_a_question_published_at_once(db, staff_api):
    response = staff_api.post(
        LIST, new_question(tags=["vision", "release", "vision"]), format="json"
    )
    assert response.status_code == 201
    data = response.json()
    assert data["status"] == "open" and data["options"] == ["No", "Yes"]
    assert data["tags"] == ["release", "vision"]
    assert data["resolve_time"] == data["close_time"]
    assert Question.objects.get(slug="r2-multimodal").published_at is not None


def test_staff_create_a_multiple_choice_draft_and_publish_it(db, staff_api, anon):
    body = new_question(
        kind="multiple_choice", options=["<128K", "128K", ">128K"], ordered=True
    )
    response = staff_api.post(LIST, {**body, "draft": True}, format="json")
    assert response.status_code == 201 and response.json()["status"] == "draft"
    assert anon.get("/api/questions/r2-multimodal/").status_code == 404
    published = staff_api.post("/api/questions/r2-multimodal/publish/")
    assert published.status_code == 200 and published.json()["status"] == "open"
    assert anon.get("/api/questions/r2-multimodal/").json()["ordered"] is True


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"slug": "Not A Slug"}, "slug"),
        ({"options": ["Yes", "No"]}, "options"),
        ({"kind": "multiple_choice", "options": ["A", "A"]}, "options"),
        ({"kind": "scalar"}, "kind"),
        ({"close_time": "2000-01-01T00:00:00Z"}, "close_time"),
        ({"open_time": 1700000000}, "open_time"),
        ({"open_time": "9999-12-31T23:59:59-14:00"}, "open_time"),
        ({"open_time": "0123-06-23T12:15:03Z"}, "open_time"),
        ({"ordered": "yes"}, "ordered"),
        ({"title": None}, "title"),
        ({"tags": ["not a slug"]}, "tags"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"status": "open"}, "status"),
        ({"title": "x" * 201}, "title"),
    ],
)
def test_bad_questions_get_400_naming_the_field(db, staff_api, fields, field):
    before = row_counts()
    response = staff_api.post(LIST, new_question(**fields), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert row_counts() == before


def test_a_taken_slug_gets_400(db, staff_api):
    QuestionFactory(slug="r2-multimodal")
    response = staff_api.post(LIST, new_question(), format="json")
    assert response.status_code == 400 and "slug" in response.json()


def test_the_list_shows_a_resolution_with_its_label(
    db, anon, staff, binary_question, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(
            question=binary_question, user=staff, outcome=1, note="Announced."
        )
    (data,) = anon.get(LIST).json()["results"]
    resolution = data["resolution"]
    assert data["status"] == "resolved"
    assert (resolution["outcome"], resolution["version"]) == ("Yes", 1)
    assert (resolution["note"], resolution["scoring"]) == ("Announced.", "done")


def populate(n: int, staff) -> None:
    """Create n questions, each with three forecasts; every third resolved."""
    users = [UserFactory() for _ in range(3)]
    for i in range(n):
        question = QuestionFactory(tags=["a", "b"])
        for user, p in zip(users, (0.2, 0.5, 0.7), strict=True):
            submit_forecast(question=question, user=user, probability=p)
        if i % 3 == 0:
            resolve_question(question=question, user=staff, outcome=1)


@pytest.mark.parametrize("n", [2, 30])
def test_the_list_takes_a_fixed_number_of_queries(
    db, n, staff, user_api, django_assert_max_num_queries
):
    populate(n, staff)
    # Token, count, page, tags, own forecasts, community, market, resolutions,
    # proposers.
    with django_assert_max_num_queries(9):
        response = user_api.get(LIST, {"page_size": 100})
    assert response.json()["count"] == n


@pytest.mark.parametrize("n", [2, 30])
def test_a_question_takes_a_fixed_number_of_queries(
    db, n, staff, anon, django_assert_max_num_queries
):
    populate(n, staff)
    question = Question.objects.order_by("pk").first()
    # Question with head, tags, community, market, resolution, proposer.
    with django_assert_max_num_queries(6):
        assert anon.get(detail(question)).status_code == 200
