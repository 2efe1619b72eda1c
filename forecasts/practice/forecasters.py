"""Synthetic forecasters and the forecasts they make: pure, seeded numpy."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from forecasts.practice.questions import PracticeQuestion

NAMES = (
    "ada", "alan", "grace", "emmy", "kurt", "sofia", "john", "marie", "carl",
    "hedy", "srinivasa", "rosalind", "claude", "barbara", "edsger", "katherine",
    "niels", "lise", "paul", "dorothy", "tim", "frances", "leonhard", "hypatia",
    "richard",
)  # fmt: skip
ADMIN = "practice-admin"
PARTICIPATION = 0.85
RATIONALE_SHARE = 0.3
RATIONALES = (
    "Starting from the base rate.",
    "Updating on the latest (synthetic) news.",
    "The trend looks steady, so only a small move.",
    "Close to the crowd; nothing new to add.",
    "Less sure than last time.",
)


def usernames(count: int) -> list[str]:
    """Return the first count practice forecasters' usernames."""
    return [f"practice-{name}" for name in NAMES[:count]]


@dataclass(frozen=True)
class Skill:
    """How a synthetic forecaster errs: noise in log-odds, and confidence.

    Confidence scales the log-odds: above 1 is overconfident, below 1 timid.
    """

    label: str
    noise: float
    confidence: float
    most_entries: int


SKILLS = (
    Skill("sharp", noise=0.35, confidence=1.0, most_entries=8),
    Skill("steady", noise=0.7, confidence=1.0, most_entries=5),
    Skill("overconfident", noise=0.8, confidence=2.2, most_entries=6),
    Skill("timid", noise=0.5, confidence=0.55, most_entries=3),
    Skill("erratic", noise=1.4, confidence=1.0, most_entries=3),
)


def skill_of(index: int) -> Skill:
    """Return the skill of the index-th forecaster: the profiles in turn."""
    return SKILLS[index % len(SKILLS)]


@dataclass(frozen=True)
class PlannedEntry:
    at: datetime
    forecaster: int
    percents: tuple[int, ...]
    rationale: str


def plan_entries(
    question: PracticeQuestion,
    opens: datetime,
    closes: datetime,
    forecasters: int,
    rng: np.random.Generator,
) -> list[PlannedEntry]:
    """Return the question's synthetic entries in time order, on whole minutes."""
    evidence = _evidence_path(question, rng)
    minutes = int((closes - opens).total_seconds() // 60)
    planned = []
    for index in range(forecasters):
        if rng.random() < PARTICIPATION:
            planned += _entries_of(index, question, evidence, opens, minutes, rng)
    return sorted(planned, key=lambda entry: (entry.at, entry.forecaster))


def _entries_of(index, question, evidence, opens, minutes, rng) -> list[PlannedEntry]:
    skill = skill_of(index)
    count = int(rng.integers(1, skill.most_entries + 1))
    picked = np.sort(rng.choice(np.arange(1, minutes), count, replace=False))
    return [
        PlannedEntry(
            at=opens + timedelta(minutes=int(minute)),
            forecaster=index,
            percents=_forecast(
                question, evidence(minute / minutes), minute / minutes, skill, rng
            ),
            rationale=_rationale(rng),
        )
        for minute in picked
    ]


def _evidence_path(question: PracticeQuestion, rng: np.random.Generator):
    """Return f -> the evidence at fraction f of the question's life.

    A Brownian bridge from the prior to the evidence at close (by default
    where the outcome points): binary in log-odds (±2.5), multiple choice as
    the expected option index.
    """
    if question.evidence_at_close is not None:
        target = question.evidence_at_close
    elif question.is_binary:
        target = 2.5 if question.outcome == 1 else -2.5
    else:
        target = float(question.outcome)
    grid = np.linspace(0.0, 1.0, 101)
    walk = np.concatenate([[0.0], np.cumsum(rng.normal(0.0, 0.08, 100))])
    bridge = walk - grid * walk[-1]
    path = question.prior + (target - question.prior) * grid + bridge
    return lambda fraction: float(np.interp(fraction, grid, path))


def _forecast(question, evidence, fraction, skill, rng) -> tuple[int, ...]:
    belief = evidence + rng.normal(0.0, skill.noise)
    if question.is_binary:
        yes = 100 / (1 + np.exp(-skill.confidence * belief))
        yes = int(np.clip(np.rint(yes), 1, 99))
        return (100 - yes, yes)
    # Ordered options: a bell over the option indices, narrowing with time.
    spread = (1.4 - 0.8 * fraction) / skill.confidence
    weights = np.exp(-((np.arange(len(question.options)) - belief) ** 2) / spread**2)
    return to_percents(weights / weights.sum())


def to_percents(probabilities: np.ndarray) -> tuple[int, ...]:
    """Return whole percents, each at least 1, summing to 100 (largest remainder)."""
    scaled = probabilities * (100 - len(probabilities))
    percents = np.floor(scaled).astype(int) + 1
    short = 100 - int(percents.sum())
    percents[np.argsort(percents - 1 - scaled)[:short]] += 1
    return tuple(int(p) for p in percents)


def _rationale(rng: np.random.Generator) -> str:
    if rng.random() >= RATIONALE_SHARE:
        return ""
    return RATIONALES[int(rng.integers(len(RATIONALES)))]
