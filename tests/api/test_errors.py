"""Refusals shared by every write: 413 over 64 KB, 415, non-object JSON bodies."""

import json

import pytest

from tests.api.conftest import post_json, row_counts

WRITES = [
    "/api/auth/signup/",
    "/api/auth/token/",
    "/api/questions/",
    "/api/questions/{slug}/resolve/",
    "/api/questions/{slug}/forecasts/",
]
LIMIT = 64 * 1024


@pytest.fixture
def urls(binary_question):
    return [url.format(slug=binary_question.slug) for url in WRITES]


def padded(size: int) -> str:
    """Return a JSON object of exactly `size` bytes."""
    head = '{"probability": 0.5, "rationale": "'
    return head + "x" * (size - len(head) - 2) + '"}'


def test_bodies_over_64_kb_get_413_everywhere(db, staff_api, urls):
    before = row_counts()
    for url in urls:
        response = post_json(staff_api, url, padded(LIMIT + 1))
        assert response.status_code == 413, url
        assert "65536 bytes" in response.json()["detail"]
    assert row_counts() == before


def test_the_limit_covers_the_pages_too(db, client):
    response = client.post(
        "/accounts/login/", "x" * (LIMIT + 1), content_type="text/plain"
    )
    assert response.status_code == 413


def test_a_body_of_exactly_64_kb_is_read(db, user_api, binary_question):
    body = padded(LIMIT)
    assert len(body.encode()) == LIMIT
    response = post_json(
        user_api, f"/api/questions/{binary_question.slug}/forecasts/", body
    )
    # Read and judged: the rationale is over 10,000 characters.
    assert response.status_code == 400
    assert "rationale" in response.json()


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("application/x-www-form-urlencoded", "probability=0.5"),
        ("text/plain", '{"probability": 0.5}'),
        ("application/xml", "<probability>0.5</probability>"),
    ],
)
def test_other_content_types_get_415_everywhere(
    db, staff_api, urls, content_type, body
):
    before = row_counts()
    for url in urls:
        response = staff_api.post(url, body, content_type=content_type)
        assert response.status_code == 415, url
        assert "Unsupported media type" in response.json()["detail"]
    assert row_counts() == before


@pytest.mark.parametrize("body", ["[]", "1", '"text"', "true", "null", "nonsense"])
def test_bodies_that_are_not_json_objects_get_non_field_errors(
    db, staff_api, urls, body
):
    for url in urls:
        response = post_json(staff_api, url, body)
        assert response.status_code == 400, url
        assert list(response.json()) == ["non_field_errors"]


def test_invalid_utf8_gets_400(db, user_api, binary_question):
    response = user_api.post(
        f"/api/questions/{binary_question.slug}/forecasts/",
        b'{"rationale": "\xff", "probability": 0.5}',
        content_type="application/json",
    )
    assert response.json() == {"non_field_errors": ["The body is not valid UTF-8."]}


def test_deep_nesting_gets_400_not_a_crash(db, user_api, binary_question):
    body = '{"probability": ' + "[" * 5000 + "]" * 5000 + "}"
    response = post_json(
        user_api, f"/api/questions/{binary_question.slug}/forecasts/", body
    )
    assert response.status_code == 400


def test_a_huge_integer_gets_400_not_a_crash(db, user_api, binary_question):
    body = json.dumps({"probability": 0.5})[:-1] + ', "x": ' + "9" * 5000 + "}"
    response = post_json(
        user_api, f"/api/questions/{binary_question.slug}/forecasts/", body
    )
    assert response.status_code == 400


def test_html_and_sql_in_text_are_stored_as_text(db, user_api, binary_question):
    rationale = "<script>alert(1)</script>'; DROP TABLE forecasts_entry; --"
    response = user_api.post(
        f"/api/questions/{binary_question.slug}/forecasts/",
        {"probability": 0.5, "rationale": rationale},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["rationale"] == rationale


def test_a_nul_character_in_text_gets_400(db, user_api, binary_question):
    response = user_api.post(
        f"/api/questions/{binary_question.slug}/forecasts/",
        {"probability": 0.5, "rationale": "a\x00b"},
        format="json",
    )
    assert response.json() == {"rationale": ["Null characters are not allowed."]}
