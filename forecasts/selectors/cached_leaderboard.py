"""The leaderboard read through the cache, keyed by the state of scoring.

Each cached board is keyed by its query and by a version read from the
database: how many resolution versions are scored and when the last one was.
Any scoring, in any process (a worker, `load_demo`), and any removal of scores
(`remove_demo`) changes it, so no process has to tell the others.
"""

from django.core.cache import cache
from django.db.models import Count, Max

from forecasts.models import Scoring
from forecasts.selectors.scores import LEADERBOARD_ORDER, leaderboard

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
    state = Scoring.objects.aggregate(n=Count("pk"), last=Max("completed_at"))
    last = state["last"].timestamp() if state["last"] else 0
    return f"leaderboard:{state['n']}:{last}:{by}:{tag or ''}:{min_questions}"
