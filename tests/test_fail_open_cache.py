"""With Redis unreachable, cached pages and charts still answer: the cache misses."""

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings

from forecasts.selectors.community import community_now
from forecasts.services import submit_forecast


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_redis_cache():
    backend = {
        "BACKEND": "config.cache.FailOpenRedisCache",
        "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
        "OPTIONS": {"socket_connect_timeout": 0.2},
    }
    with override_settings(CACHES={"default": backend}):
        yield caches["default"]


def test_reads_miss_and_writes_drop(dead_redis_cache):
    assert dead_redis_cache.get("k", "fallback") == "fallback"
    assert dead_redis_cache.get_many(["a", "b"]) == {}
    assert dead_redis_cache.set("k", 1) is None
    assert dead_redis_cache.add("k", 1) is False


def test_community_is_computed_without_the_cache(
    dead_redis_cache, binary_question, user
):
    submit_forecast(question=binary_question, user=user, probability=0.7)
    community = community_now([binary_question])[binary_question.pk]
    assert community.probabilities[1] == pytest.approx(0.7)
