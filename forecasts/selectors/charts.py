"""What the charts draw, read in a fixed number of queries; charts never query."""

from dataclasses import dataclass, field
from datetime import datetime

from forecasts.ledger import BP
from forecasts.models import Entry, Outcome, Question, ResolutionEvent, Score
from forecasts.scoring.continuous import MILLION, ContinuousAxis
from forecasts.selectors.community import community_history, community_now
from forecasts.selectors.pages_questions import community_series


@dataclass(frozen=True)
class Resolved:
    """How the question resolved, as the community chart marks it."""

    at: datetime
    annulled: bool
    outcome: int | None
    label: str


@dataclass(frozen=True)
class CommunityChartData:
    """The community series, the viewer's entries and, once resolved, the results.

    `until` is where the line stops: now while open, the close once closed,
    the end of the scoring window once resolved. `finals` are every scored
    forecaster's final forecast: public only after resolution, so empty before.
    """

    options: list[str]
    binary: bool
    points: list[tuple[datetime, list[float]]]
    own: list[tuple[datetime, list[float]]]
    until: datetime | None
    resolved: Resolved | None = None
    finals: list[tuple[datetime, list[float]]] = field(default_factory=list)


def community_chart_data(
    question: Question, entries: list[Entry], *, now: datetime
) -> CommunityChartData:
    """Return the community chart's data for a viewer whose entries are given."""
    live = community_now([question]).get(question.pk)
    points = community_series(question, community_history(question), live)
    latest = latest_resolution(question)
    resolved, finals, until = None, [], min(now, question.close_time)
    if latest is not None:
        resolved = _resolved(question, latest)
        until = _window_end(question, latest)
        if not latest.annulled:
            finals = final_forecasts(latest)
    return CommunityChartData(
        options=list(question.options),
        binary=question.is_binary,
        points=[(p.time, list(p.probabilities)) for p in points],
        own=[(e.created_at, e.probabilities) for e in entries],
        until=until,
        resolved=resolved,
        finals=finals,
    )


@dataclass(frozen=True)
class ContinuousChartData:
    """A numeric or date question's community CDFs over time, the viewer's CDF
    and, once resolved, the outcome (±inf beyond a bound; POSIX seconds for dates).
    """

    axis: ContinuousAxis
    dates: bool
    unit: str
    times: list[datetime]
    cdfs: list[list[float]]
    own: list[float] | None
    until: datetime
    outcome: float | None


def continuous_chart_data(
    question: Question, entries: list[Entry], *, now: datetime
) -> ContinuousChartData:
    """Return the density and history charts' data for a viewer with these entries."""
    live = community_now([question]).get(question.pk)
    points = community_series(question, community_history(question), live)
    latest = latest_resolution(question)
    until = min(now, question.close_time)
    if latest is not None:
        until = _window_end(question, latest)
    own = entries[-1].probabilities_bp if entries else None
    return ContinuousChartData(
        axis=question.axis(),
        dates=question.is_date,
        unit=question.unit,
        times=[p.time for p in points],
        cdfs=[list(p.probabilities) for p in points],
        own=[m / MILLION for m in own] if own else None,
        until=until,
        outcome=_outcome_value(latest),
    )


def _outcome_value(event: ResolutionEvent | None) -> float | None:
    if event is None or event.annulled:
        return None
    if event.value is not None:
        return event.value
    return float("-inf") if event.outcome == Outcome.BELOW else float("inf")


def latest_resolution(question: Question) -> ResolutionEvent | None:
    """Return the question's latest resolution version with its scoring, if any."""
    if not (getattr(question, "head", None) and question.head.resolutions):
        return None
    return (
        ResolutionEvent.objects.filter(question=question)
        .select_related("scoring")
        .order_by("-version")
        .first()
    )


def final_forecasts(resolution: ResolutionEvent) -> list[tuple[datetime, list[float]]]:
    """Return (time, vector) of every scored forecaster's final forecast, one query."""
    rows = Score.objects.filter(resolution=resolution).values_list(
        "final_entry__created_at", "final_bp"
    )
    return [(time, [bp / BP for bp in vector]) for time, vector in rows]


def _resolved(question: Question, event: ResolutionEvent) -> Resolved:
    if event.annulled:
        label = "Annulled"
    else:
        label = f"Resolved {question.options[event.outcome]}"
    return Resolved(event.effective_at, event.annulled, event.outcome, label)


def _window_end(question: Question, event: ResolutionEvent) -> datetime:
    scoring = getattr(event, "scoring", None)
    if scoring is not None:
        return scoring.window_end
    return min(event.effective_at, question.close_time)


def brier_points(scores: list[Score]) -> list[tuple[datetime, float]]:
    """Return (resolved at, time-averaged Brier) of each scored question."""
    return [(s.resolution.created_at, s.time_averaged_brier) for s in scores]
