"""The leaderboard read through the cache, keyed by everything it shows.

Each cached board is keyed by its query and by state read from the database
in one query: the "scores" and "accounts" generations (bumped in the same
transaction as a resolution, a scoring, an account rename or deletion) and
how many resolution versions are scored and when the last one was (which also
moves when scores are restored or removed in bulk). Any such change, in any
process, gives a new key, so a re-resolution or a deleted account shows at
once and no process has to tell the others.
"""

from django.core.cache import cache
from django.db.models import Count, Max, Subquery

from forecasts.models import CacheGeneration, Scoring
from forecasts.selectors.scores import LEADERBOARD_ORDER, leaderboard

SCORES, ACCOUNTS = CacheGeneration.SCORES, CacheGeneration.ACCOUNTS

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
    state = "/".join(str(part) for part in _state())
    return f"leaderboard:{state}:{by}:{tag or ''}:{min_questions}"


def _state() -> tuple:
    """Return the scored versions, the last scoring and the generations, at once.

    With no Scoring row there are no scores, so the board is empty whatever
    the generations say (they read None then).
    """
    generations = {
        name: Max(
            Subquery(CacheGeneration.objects.filter(name=name).values("value")[:1])
        )
        for name in (SCORES, ACCOUNTS)
    }
    state = Scoring.objects.aggregate(
        n=Count("pk"), last=Max("completed_at"), **generations
    )
    last = state["last"].timestamp() if state["last"] else 0
    return state["n"], last, state[SCORES], state[ACCOUNTS]
