"""The leaderboard read through the cache, made stale whenever scoring completes.

Each cached board is keyed by its query and a version token. Completed scoring
replaces the token (leaderboard_changed), so every board cached before it is
never read again and expires. The timeout bounds staleness from changes that
bypass scoring, such as removing the practice set.
"""

import uuid

from django.core.cache import cache

from forecasts.selectors.scores import LEADERBOARD_ORDER, leaderboard

VERSION_KEY = "leaderboard:version"
TIMEOUT = 15 * 60
DEFAULT_BOARDS = [
    {"by": by, "tag": None, "min_questions": 1} for by in LEADERBOARD_ORDER
]


def cached_leaderboard(
    *, by: str = "brier", tag: str | None = None, min_questions: int = 1
) -> list[dict]:
    """Return the rows of leaderboard(...), from the cache while still current."""
    key = _key(by, tag, min_questions)
    rows = cache.get(key)
    if rows is None:
        rows = _store(key, by, tag, min_questions)
    return rows


def leaderboard_changed() -> None:
    """Make every cached leaderboard stale; call once new scores are committed."""
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def warm_leaderboards() -> int:
    """Compute the default boards (every ranking, all tags) into the cache."""
    for board in DEFAULT_BOARDS:
        _store(_key(**board), **board)
    return len(DEFAULT_BOARDS)


def _store(key: str, by: str, tag: str | None, min_questions: int) -> list[dict]:
    rows = list(leaderboard(by=by, tag=tag, min_questions=min_questions))
    cache.set(key, rows, TIMEOUT)
    return rows


def _key(by: str, tag: str | None, min_questions: int) -> str:
    return f"leaderboard:{_version()}:{by}:{tag or ''}:{min_questions}"


def _version() -> str:
    # A token, not a counter: a cache that lost the key cannot fall back to
    # an old number whose boards may still be stored.
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return version or uuid.uuid4().hex
