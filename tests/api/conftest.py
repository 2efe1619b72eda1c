import uuid

import pytest
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import User
from forecasts.api.throttles import SafeRateThrottle
from forecasts.models import (
    CommunityPoint,
    Entry,
    LedgerHead,
    Question,
    ResolutionEvent,
    Score,
    Scoring,
    Standing,
    Tag,
)


@pytest.fixture(autouse=True)
def fresh_caches(monkeypatch):
    """Give each test its own throttle counts and, locally, an empty cache.

    Test databases reuse primary keys, so a community value cached by an
    earlier test could otherwise be read for a new question with the same id,
    here or in the modules that run after these.
    Clearing a shared Redis would disturb other runs, so only locmem is cleared.
    """
    throttle_cache = LocMemCache(f"throttle-{uuid.uuid4()}", {})
    monkeypatch.setattr(SafeRateThrottle, "cache", throttle_cache)
    local = isinstance(caches["default"], LocMemCache)
    if local:
        caches["default"].clear()
    yield
    if local:
        caches["default"].clear()


def client_for(user=None) -> APIClient:
    """Return an API client that sends this user's token, or none."""
    client = APIClient()
    if user is not None:
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anon():
    return APIClient()


@pytest.fixture
def user_api(user):
    return client_for(user)


@pytest.fixture
def staff_api(staff):
    return client_for(staff)


TABLES = (
    User,
    Token,
    Question,
    Tag,
    LedgerHead,
    Entry,
    Standing,
    ResolutionEvent,
    Scoring,
    Score,
    CommunityPoint,
)


def row_counts() -> dict[str, int]:
    """Return the row count of every application table."""
    return {model.__name__: model.objects.count() for model in TABLES}


def post_json(client, url: str, body: str):
    """POST a raw JSON text, exactly as given."""
    return client.post(url, body, content_type="application/json")
