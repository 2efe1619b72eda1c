"""Security headers: a Content-Security-Policy on every page, a Referrer-Policy,
and authenticated API answers kept out of caches.

The site is crawled from its home page (anonymously, then as a forecaster and
as staff): every page it links to must carry the policy and hold no inline
script, style or event handler, which the policy would block.
"""

import re
from datetime import timedelta
from urllib.parse import urldefrag, urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from forecasts.services import resolve_question, score_resolution, submit_forecast
from tests.api.conftest import client_for
from tests.factories import QuestionFactory, StaffFactory, UserFactory

LINK = re.compile(r'href="([^"]+)"')
INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),  # a script with no src
    re.compile(r"<style\b", re.I),
    re.compile(r"""\sstyle\s*=\s*["']""", re.I),
    re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    re.compile(r"javascript:", re.I),
]
NOT_CRAWLED = ("/static/", "/admin/", "/api/", "/accounts/logout/")
FILES = (".svg", ".png", ".csv", ".json")  # images and exports, not pages
UNLINKED = [
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/done/",
    "/accounts/reset/MQ/bad-token/",
    "/notifications/unsubscribe/not-a-token/",
    "/no-such-page/",
]


@pytest.fixture
def world(db, monkeypatch):
    user, other, staff = UserFactory(), UserFactory(), StaffFactory()
    open_q = QuestionFactory()
    mc = QuestionFactory(kind="multiple_choice", options=["A", "B", "C"])
    submit_forecast(question=mc, user=other, probabilities=[0.2, 0.3, 0.5])
    submit_forecast(question=open_q, user=user, probability=0.4)
    now = timezone.now()
    done = QuestionFactory(
        open_time=now - timedelta(days=9), close_time=now - timedelta(days=1)
    )
    with monkeypatch.context() as past:
        past.setattr("django.utils.timezone.now", lambda: now - timedelta(days=5))
        submit_forecast(question=done, user=user, probability=0.7)
    event = resolve_question(question=done, user=staff, outcome=1)
    score_resolution(resolution_id=event.pk)
    return {"user": user, "staff": staff}


def crawl(client, start: str = "/", limit: int = 300) -> dict[str, object]:
    """Return every page of the site reachable by links from start, by URL.

    One query string per path: filters redraw the same template.
    """
    seen, queue, pages = {urlsplit(start).path}, [start], {}
    while queue and len(pages) < limit:
        url = queue.pop(0)
        response = client.get(url)
        pages[url] = response
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in LINK.findall(response.content.decode()):
            link = urldefrag(href.replace("&amp;", "&"))[0]
            if urlsplit(link).netloc or not link.startswith("/"):
                continue
            path = urlsplit(link).path
            if link.startswith(NOT_CRAWLED) or path.endswith(FILES) or path in seen:
                continue
            seen.add(path)
            queue.append(link)
    return pages


def clients(world) -> dict[str, Client]:
    anonymous, user, staff = Client(), Client(), Client()
    user.force_login(world["user"])
    staff.force_login(world["staff"])
    return {"anonymous": anonymous, "user": user, "staff": staff}


def test_every_page_has_the_policy_and_nothing_inline(world):
    for who, client in clients(world).items():
        pages = crawl(client)
        pages.update({url: client.get(url) for url in UNLINKED})
        html = {u: r for u, r in pages.items() if "text/html" in r["Content-Type"]}
        assert len(html) > 15, who  # the crawl reached the site
        for url, response in html.items():
            policy = response.get("Content-Security-Policy", "")
            assert "script-src 'self'" in policy, (who, url)
            assert "unsafe-inline" not in policy, (who, url)
            body = response.content.decode()
            for pattern in INLINE:
                assert not pattern.search(body), (who, url, pattern.pattern)


@pytest.mark.parametrize(
    "url", ["/", "/accounts/login/", "/api/questions/", "/admin/login/", "/api/docs/"]
)
def test_pages_and_the_api_send_the_policy_and_a_referrer_policy(client, db, url):
    response = client.get(url)
    policy = response["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ):
        assert directive in policy
    assert response["Referrer-Policy"] == "same-origin"


def test_the_api_docs_page_has_no_inline_script_or_style(client, db):
    html = client.get("/api/docs/").content.decode()
    for pattern in INLINE:
        assert not pattern.search(html), pattern.pattern
    assert "swagger-ui-bundle.js" in html


def cache_directives(response) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.strip() for part in header.split(",") if part.strip()}


@pytest.mark.parametrize(
    "path",
    [
        "/api/questions/",
        "/api/leaderboard/",
        "/api/calibration/",
        "/api/export/ledger.csv",
        "/api/no-such-endpoint/",
    ],
)
def test_authenticated_api_answers_are_private_and_not_stored(world, path):
    response = client_for(world["user"]).get(path)
    assert {"private", "no-store"} <= cache_directives(response), response.status_code


def test_a_session_api_answer_is_private_and_not_stored_too(world):
    browser = Client()
    browser.force_login(world["user"])
    response = browser.get("/api/questions/")
    assert {"private", "no-store"} <= cache_directives(response)


def test_a_forecast_answer_is_not_stored(world):
    question = QuestionFactory()
    response = client_for(world["user"]).post(
        f"/api/questions/{question.slug}/forecasts/",
        {"probability": 0.3},
        format="json",
    )
    assert response.status_code == 201
    assert {"private", "no-store"} <= cache_directives(response)


def test_anonymous_api_answers_may_be_cached(client, db):
    assert "no-store" not in cache_directives(client.get("/api/questions/"))
