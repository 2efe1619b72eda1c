"""Every scored forecaster of a resolved question: public once it resolves."""

from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Page, Paginator
from django.db.models import F

from forecasts.ledger import BP
from forecasts.models import ResolutionEvent, Score

RESULTS_PER_PAGE = 50

# Column -> ordering; the username breaks ties so pages never overlap.
RESULT_SORTS = {
    "username": (F("user__username").asc(),),
    "brier": (F("brier").asc(), F("user__username").asc()),
    "time_averaged_brier": (F("time_averaged_brier").asc(), F("user__username").asc()),
    "relative_brier": (
        F("relative_brier").asc(nulls_last=True),
        F("user__username").asc(),
    ),
    "points": (F("points").desc(), F("user__username").asc()),
}
DEFAULT_RESULT_SORT = "time_averaged_brier"


class _CountedPaginator(Paginator):
    """A paginator told its count, which scoring already stored."""

    def __init__(self, object_list, per_page, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


@dataclass(frozen=True)
class ResultRow:
    """One scored forecaster as the results table shows them."""

    user_id: int
    username: str
    final: list[float]
    rationale: str
    brier: float
    time_averaged_brier: float
    relative_brier: float | None
    points: float
    log_score: float


def results_page(
    resolution: ResolutionEvent,
    forecasters: int,
    *,
    sort: str,
    page_number,
    unit: int = BP,
) -> tuple[Page, list[ResultRow]]:
    """Return one page of the version's scored forecasters, sorted by a column.

    An unknown column sorts by time-averaged Brier. One query whatever the
    number of forecasters: the count comes from the version's scoring.
    `unit` is the question's vector_unit (final forecasts are in its units).
    """
    ordering = RESULT_SORTS.get(sort, RESULT_SORTS[DEFAULT_RESULT_SORT])
    scores = (
        Score.objects.filter(resolution=resolution)
        .select_related("user", "final_entry")
        .only(
            "user",
            "final_entry",
            "final_entry__probabilities_bp",
            "brier",
            "time_averaged_brier",
            "relative_brier",
            "points",
            "log_score",
            "user__username",
            "final_entry__rationale",
        )
        .order_by(*ordering)
    )
    page = _CountedPaginator(scores, RESULTS_PER_PAGE, forecasters).get_page(
        page_number
    )
    return page, [_row(score, unit) for score in page.object_list]


def _row(score: Score, unit: int) -> ResultRow:
    return ResultRow(
        user_id=score.user_id,
        username=score.user.username,
        final=[v / unit for v in score.final_entry.probabilities_bp],
        rationale=score.final_entry.rationale,
        brier=score.brier,
        time_averaged_brier=score.time_averaged_brier,
        relative_brier=score.relative_brier,
        points=score.points,
        log_score=score.log_score,
    )
