"""Paging parameters: anything but a page that exists is a JSON 400 or 404."""

import pytest
from django.urls import reverse

from forecasts.services import submit_forecast
from tests.api.conftest import client_for

HUGE = "9" * 5000  # past int()'s 4,300-digit limit
NOT_NUMBERS = [
    "²",
    "¹",
    "١",
    "１",
    "-1",
    "0",
    "00",
    "1.5",
    "1e3",
    " 1",
    "0x1",
    "",
    "last",
]


@pytest.fixture
def endpoints(user, binary_question):
    submit_forecast(question=binary_question, user=user, probability=0.4)
    slug = binary_question.slug
    return [
        reverse("api-questions"),
        reverse("api-leaderboard"),
        reverse("api-user-scores", args=[user.username]),
        reverse("api-forecasts", args=[slug]),
        reverse("api-community", args=[slug]),
        reverse("api-question-scores", args=[slug]),
    ]


def refused(response, field: str, status: int = 400) -> bool:
    return (
        response.status_code == status
        and response["Content-Type"] == "application/json"
        and (status != 400 or field in response.json())
    )


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_page_that_is_not_a_whole_number_is_400(endpoints, user, value):
    api = client_for(user)
    for url in endpoints:
        assert refused(api.get(url, {"page": value}), "page"), url


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_a_page_size_that_is_not_a_whole_number_is_400(endpoints, user, value):
    api = client_for(user)
    for url in endpoints:
        assert refused(api.get(url, {"page_size": value}), "page_size"), url


@pytest.mark.parametrize("value", [HUGE, "9" * 19, "2"])
def test_a_page_past_the_last_is_404(endpoints, user, value):
    api = client_for(user)
    for url in endpoints:
        assert refused(api.get(url, {"page": value}), "page", status=404), url


def test_a_huge_page_size_is_the_largest_page(endpoints, user):
    api = client_for(user)
    for url in endpoints:
        response = api.get(url, {"page_size": HUGE})
        assert response.status_code == 200, url
        assert response.json()["next"] is None


@pytest.mark.parametrize("query", ["?page=%00", "?page=%FF", "?page_size=%F0%9F%98%80"])
def test_undecodable_or_odd_bytes_are_400(endpoints, user, query):
    api = client_for(user)
    for url in endpoints:
        response = api.get(url + query)
        assert response.status_code == 400, url
        assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("value", ["²", HUGE, "0", "abc", "-1"])
def test_the_question_list_page_shows_a_page_for_any_page_parameter(client, db, value):
    response = client.get(reverse("forecasts:questions"), {"page": value})
    assert response.status_code == 200
