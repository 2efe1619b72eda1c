"""A forecaster's long history: many resolved questions, one forecast on each.

Every row is written set-based with explicit ids, as score_resolution would
have left it: question, head, entry, standing forecast, resolution version 1,
its Scoring marker and the forecaster's Score.
"""

import json
from datetime import UTC, datetime, timedelta

import numpy as np

from bench.data import (
    ENTRY_COLUMNS,
    STANDING_COLUMNS,
    binary_bp,
    entry_hash,
    iso_times,
    probability_texts,
    simplex_bp,
)
from bench.rows import analyze, insert_rows, next_id, reset_ids
from forecasts import scoring
from forecasts.ledger import BP, GENESIS_HASH, canonical_hash, resolution_payload
from forecasts.models import (
    Entry,
    LedgerHead,
    Question,
    ResolutionEvent,
    Score,
    Scoring,
    Standing,
)
from forecasts.services.score_columns import SCORE_COLUMNS

OPTIONS = ["Low", "Mid", "High"]
QUESTION_COLUMNS = (
    "id",
    "slug",
    "title",
    "body",
    "resolution_criteria",
    "source_title",
    "source_url",
    "kind",
    "options",
    "ordered",
    "published_at",
    "open_time",
    "close_time",
    "resolve_time",
    "hide_community_until_forecast",
    "created_at",
    "practice",
)


def resolved_history(
    rng: np.random.Generator, user, count: int, *, multiple_choice: float = 0.1
) -> np.ndarray:
    """Write `count` resolved questions the user forecast once; return the outcomes.

    A share of them are multiple choice (three options). Outcomes are drawn
    from the forecasts themselves, so the forecaster is calibrated on average.
    """
    close = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    is_mc = rng.random(count) < multiple_choice
    bp = _vectors(rng, user.pk, is_mc)
    outcomes = _draw_outcomes(rng, bp, is_mc)
    ids = {
        model: next_id(model) + np.arange(count)
        for model in (Question, Entry, ResolutionEvent)
    }
    history = _History(ids, user, close, is_mc, bp, outcomes)
    history.write()
    return outcomes


def _vectors(rng, user_id: int, is_mc: np.ndarray) -> np.ndarray:
    """Return (count, 3) bp rows; binary rows use the first two, the third is 0."""
    users = np.full(is_mc.size, user_id)
    bp = np.zeros((is_mc.size, 3), dtype=np.int64)
    bp[~is_mc, :2] = binary_bp(rng, users[~is_mc])
    bp[is_mc] = simplex_bp(rng, users[is_mc], 3)
    return bp


def _draw_outcomes(rng, bp: np.ndarray, is_mc: np.ndarray) -> np.ndarray:
    cumulative = np.cumsum(bp, axis=1) / BP
    drawn = (rng.random((len(bp), 1)) >= cumulative).sum(axis=1)
    return np.minimum(drawn, np.where(is_mc, 2, 1))


class _History:
    """The rows of one generated history, written table by table."""

    def __init__(self, ids, user, close, is_mc, bp, outcomes):
        self.ids, self.user, self.is_mc = ids, user, is_mc
        self.bp, self.outcomes = bp, outcomes
        self.close = close.isoformat()
        start = close - timedelta(days=30)
        micros = int(start.timestamp()) * 1_000_000 + np.arange(len(bp))
        self.opened = iso_times(micros)
        self.slugs = [f"bench-history-{i}" for i in ids[Question].tolist()]
        self.vectors = [
            row[:3] if mc else row[:2]
            for row, mc in zip(bp.tolist(), is_mc.tolist(), strict=True)
        ]

    def write(self) -> None:
        insert_rows(Question, QUESTION_COLUMNS, self._questions())
        hashes = self._entry_hashes()
        insert_rows(Entry, ENTRY_COLUMNS, self._entries(hashes))
        events = self._event_hashes()
        insert_rows(ResolutionEvent, EVENT_COLUMNS, self._events(events))
        insert_rows(LedgerHead, HEAD_COLUMNS, self._heads(hashes, events))
        insert_rows(Standing, STANDING_COLUMNS, self._standing())
        insert_rows(Scoring, SCORING_COLUMNS, self._scorings())
        insert_rows(Score, SCORE_COLUMNS, self._scores())
        reset_ids(Question, Entry, ResolutionEvent)
        analyze(Question, Entry, ResolutionEvent, LedgerHead, Standing, Scoring, Score)

    def _questions(self):
        for i, (qid, slug) in enumerate(
            zip(self.ids[Question].tolist(), self.slugs, strict=True)
        ):
            mc = bool(self.is_mc[i])
            options = json.dumps(OPTIONS if mc else ["No", "Yes"])
            kind = "multiple_choice" if mc else "binary"
            opened = self.opened[i]
            yield (
                qid,
                slug,
                f"History question {qid}",
                "Generated.",
                "Generated.",
                "",
                "",
                kind,
                options,
                False,
                opened,
                opened,
                self.close,
                self.close,
                False,
                opened,
                False,
            )

    def _entry_hashes(self) -> list[str]:
        texts = probability_texts(self.bp)
        return [
            entry_hash(
                slug, 1, self.user.pk, text if mc else _two(text), time, GENESIS_HASH
            )
            for slug, text, mc, time in zip(
                self.slugs, texts, self.is_mc.tolist(), self.opened, strict=True
            )
        ]

    def _entries(self, hashes):
        for i, vector in enumerate(self.vectors):
            yes = None if self.is_mc[i] else vector[1]
            yield (
                int(self.ids[Entry][i]),
                int(self.ids[Question][i]),
                self.user.pk,
                1,
                json.dumps(vector),
                yes,
                "",
                self.opened[i],
                GENESIS_HASH,
                hashes[i],
            )

    def _event_hashes(self) -> list[str]:
        close = datetime.fromisoformat(self.close)
        return [
            canonical_hash(
                resolution_payload(
                    question=slug,
                    version=1,
                    outcome=outcome,
                    annulled=False,
                    note="",
                    source_url="",
                    effective_at=close,
                    created_at=close,
                    resolved_by=self.user.pk,
                    prev_hash=GENESIS_HASH,
                )
            )
            for slug, outcome in zip(self.slugs, self.outcomes.tolist(), strict=True)
        ]

    def _events(self, hashes):
        for i, outcome in enumerate(self.outcomes.tolist()):
            yield (
                int(self.ids[ResolutionEvent][i]),
                int(self.ids[Question][i]),
                1,
                outcome,
                False,
                "",
                "",
                self.close,
                self.close,
                self.user.pk,
                GENESIS_HASH,
                hashes[i],
            )

    def _heads(self, entry_hashes, event_hashes):
        for i, outcome in enumerate(self.outcomes.tolist()):
            yield (
                int(self.ids[Question][i]),
                1,
                entry_hashes[i],
                self.opened[i],
                1,
                event_hashes[i],
                outcome,
                False,
            )

    def _standing(self):
        for i, vector in enumerate(self.vectors):
            yield (
                int(self.ids[Question][i]),
                self.user.pk,
                int(self.ids[Entry][i]),
                1,
                json.dumps(vector),
            )

    def _scorings(self):
        for event in self.ids[ResolutionEvent].tolist():
            yield event, self.close, 1, self.close

    def _scores(self):
        for i, vector in enumerate(self.vectors):
            outcome = int(self.outcomes[i])
            p = np.asarray(vector) / BP
            brier = scoring.brier(p, outcome)
            uniform = scoring.brier(np.full(p.size, 1.0 / p.size), outcome)
            yield (
                int(self.ids[ResolutionEvent][i]),
                int(self.ids[Question][i]),
                self.user.pk,
                int(self.ids[Entry][i]),
                1,
                brier,
                brier,
                None,
                float(np.log(p[outcome])),
                scoring.baseline_score(p, outcome),
                None,
                100.0 * (uniform - brier),
                None,
                self.close,
                self.close,
                outcome,
                json.dumps(vector),
                None if self.is_mc[i] else vector[1],
                True,
            )


def _two(text: str) -> str:
    """Return the first two quoted probabilities of a three-option text."""
    return ",".join(text.split(",")[:2])


EVENT_COLUMNS = (
    "id",
    "question_id",
    "version",
    "outcome",
    "annulled",
    "note",
    "source_url",
    "effective_at",
    "created_at",
    "created_by_id",
    "prev_hash",
    "hash",
)
HEAD_COLUMNS = (
    "question_id",
    "entries",
    "entry_hash",
    "last_entry_at",
    "resolutions",
    "resolution_hash",
    "outcome",
    "annulled",
)
SCORING_COLUMNS = ("resolution_id", "window_end", "forecasters", "completed_at")
