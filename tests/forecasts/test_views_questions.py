"""The question list: filters, search, and what each row shows to whom."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from forecasts.services import resolve_question, submit_forecast
from tests.factories import QuestionFactory, UserFactory

LIST = reverse("forecasts:questions")


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def row_of(html: str, question) -> str:
    return html.split(f'data-slug="{question.slug}"')[1].split("</tr>")[0]


def test_rows_show_community_own_forecast_and_close_date(client, user, db):
    question = QuestionFactory(title="Will the bridge open?")
    others = [UserFactory(), UserFactory()]
    for other, p in zip(others, [0.2, 0.6], strict=True):
        submit_forecast(question=question, user=other, probability=p)
    submit_forecast(question=question, user=user, probability=0.725)
    client.force_login(user)
    row = row_of(client.get(LIST).content.decode(), question)
    assert "Will the bridge open?" in row
    assert "3 forecasters" in row and "60%" in row  # the weighted median
    # Lists show whole percent (the question page shows the exact 72.5%).
    assert "73%" in row and "72.5%" not in row
    assert question.close_time.strftime("%Y-%m-%d %H:%M UTC") in row


def test_hidden_community_stays_hidden_until_the_visitor_forecasts(client, user, db):
    question = QuestionFactory(hide_community_until_forecast=True)
    submit_forecast(question=question, user=UserFactory(), probability=0.83)
    client.force_login(user)
    row = row_of(client.get(LIST).content.decode(), question)
    assert "hidden until you forecast" in row and "83%" not in row
    submit_forecast(question=question, user=user, probability=0.4)
    row = row_of(client.get(LIST).content.decode(), question)
    assert "hidden" not in row and "2 forecasters" in row


def test_status_filter_separates_open_closed_resolved_and_annulled(
    client, staff, binary_question, closed_question, django_capture_on_commit_callbacks
):
    resolved = QuestionFactory(title="Already settled?")
    annulled = QuestionFactory(title="Void one?")
    with django_capture_on_commit_callbacks(execute=True):
        resolve_question(question=resolved, user=staff, outcome=1)
        resolve_question(question=annulled, user=staff, annulled=True, note="Void.")
    expected = {
        "open": binary_question,
        "closed": closed_question,
        "resolved": resolved,
        "annulled": annulled,
    }
    everything = [binary_question, closed_question, resolved, annulled]
    for status, question in expected.items():
        html = client.get(LIST, {"status": status}).content.decode()
        shown = [q for q in everything if f'data-slug="{q.slug}"' in html]
        assert shown == [question], status
    assert "Closed, awaiting resolution" in client.get(LIST).content.decode()


def test_tag_filter_and_text_search(client, db):
    chips = QuestionFactory(title="Will chip exports fall?", tags=["trade"])
    rain = QuestionFactory(title="Will it rain in Lisbon?", body="Weather.")
    html = client.get(LIST, {"tag": "trade"}).content.decode()
    assert chips.slug in html and rain.slug not in html
    html = client.get(LIST, {"q": "lisbon"}).content.decode()
    assert rain.slug in html and chips.slug not in html
    assert "1 question" in html


def test_bad_filter_values_fall_back_to_everything(client, binary_question):
    response = client.get(LIST, {"status": "nonsense", "tag": "no such tag!"})
    assert response.status_code == 200
    assert binary_question.slug in response.content.decode()


def test_drafts_are_listed_for_staff_only(client, staff, db):
    draft = QuestionFactory(publish=False)
    assert draft.slug not in client.get(LIST).content.decode()
    client.force_login(staff)
    assert draft.slug in client.get(LIST).content.decode()


def populate(n_questions: int, n_users: int, viewer) -> None:
    users = [UserFactory() for _ in range(n_users)] + [viewer]
    for i in range(n_questions):
        question = QuestionFactory(tags=["t"], hide_community_until_forecast=i % 2)
        for user in users:
            submit_forecast(question=question, user=user, probability=0.3)


@pytest.mark.parametrize("questions, users", [(1, 1), (12, 6)])
def test_list_runs_a_fixed_number_of_queries(
    client, user, questions, users, django_assert_max_num_queries
):
    populate(questions, users, user)
    client.force_login(user)
    cache.clear()
    # session, user, count, page, tags of the page, tag filter list,
    # standing, community, market
    with django_assert_max_num_queries(9):
        response = client.get(LIST, {"tag": "t"})
    assert response.content.decode().count("data-slug=") == questions
