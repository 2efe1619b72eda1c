import os
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone
from hypothesis import settings as hypothesis_settings

from tests.factories import QuestionFactory, StaffFactory, UserFactory

hypothesis_settings.register_profile("ci", deadline=None, derandomize=True)
hypothesis_settings.register_profile("dev", deadline=None)
hypothesis_settings.load_profile(
    "ci" if os.environ.get("CI") or os.environ.get("REQUIRE_SERVICES") else "dev"
)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def need_service(reason: str) -> None:
    """Skip for want of a service, or fail when CI requires every service."""
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason}, and REQUIRE_SERVICES=1 requires it")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def empty_cache():
    """Start every test with an empty cache: test databases reuse primary keys."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def postgres(db):
    """Require the test database to be PostgreSQL."""
    if connection.vendor != "postgresql":
        need_service("needs PostgreSQL: set DATABASE_URL=postgres://…")


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def staff(db):
    return StaffFactory()


@pytest.fixture
def binary_question(db):
    return QuestionFactory()


@pytest.fixture
def mc_question(db):
    return QuestionFactory(
        kind="multiple_choice", options=["Low", "Mid", "High"], ordered=True
    )


@pytest.fixture
def closed_question(db):
    now = timezone.now()
    return QuestionFactory(
        open_time=now - timedelta(days=20), close_time=now - timedelta(days=1)
    )


class Clock:
    """A settable `timezone.now` for the services, to place entries in time."""

    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment

    def set(self, moment):
        self.moment = moment


@pytest.fixture
def clock(monkeypatch):
    fake = Clock(timezone.now())
    monkeypatch.setattr("django.utils.timezone.now", fake)
    return fake
