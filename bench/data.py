"""Seeded synthetic ledgers: forecasters, questions, entries over time, resolutions.

Everything is written set-based (bench.rows) with every hash computed here by
the README's recipe, so verify_ledger passes on what this writes. Probabilities
avoid the calibration bin edges (multiples of 0.1), where scikit-learn and this
project put a forecast in different bins.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from accounts.models import User
from bench.rows import analyze, insert_rows, next_id, reset_ids
from forecasts.ledger import (
    BP,
    GENESIS_HASH,
    MAX_BP,
    MIN_BP,
    bp_to_str,
    canonical_hash,
    resolution_payload,
)
from forecasts.models import Entry, LedgerHead, Question, ResolutionEvent, Standing
from forecasts.scoring import fold_ledger
from forecasts.scoring.running import stored_table
from forecasts.services import create_question

ENTRY_COLUMNS = (
    "id",
    "question_id",
    "user_id",
    "sequence",
    "probabilities_bp",
    "p_yes_bp",
    "rationale",
    "created_at",
    "prev_hash",
    "hash",
)
STANDING_COLUMNS = (
    "question_id",
    "user_id",
    "entry_id",
    "sequence",
    "probabilities_bp",
)
USER_COLUMNS = (
    "id",
    "password",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
)
# Each option's hashed string, quoted as in the canonical JSON: 7200 -> "0.7200".
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_QUOTED_BP = [f'"{bp_to_str(bp)}"' for bp in range(BP + 1)]


@dataclass(frozen=True)
class Ledger:
    """One question's generated entries, in ledger order."""

    question: Question
    ids: np.ndarray
    micros: np.ndarray
    users: np.ndarray
    bp: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def make_forecasters(count: int, *, prefix: str = "bench") -> np.ndarray:
    """Create `count` forecasters who cannot log in; return their ids."""
    first = next_id(User)
    joined = datetime.now(UTC).isoformat()
    ids = np.arange(first, first + count, dtype=np.int64)
    rows = (
        (int(i), "!", False, f"{prefix}{i}", "", "", "", False, True, joined)
        for i in ids
    )
    insert_rows(User, USER_COLUMNS, rows)
    reset_ids(User)
    return ids


def make_question(
    slug: str, *, open_time: datetime, close_time: datetime, options=None, tags=()
) -> Question:
    """Create a published question: binary, or multiple choice given options."""
    kind = "binary" if options is None else "multiple_choice"
    return create_question(
        tags=tags,
        slug=slug,
        title=f"Synthetic question {slug}",
        body="Generated for benchmarks.",
        resolution_criteria="Resolved by the benchmark.",
        kind=kind,
        options=list(options or []),
        open_time=open_time,
        close_time=close_time,
        resolve_time=close_time,
        published_at=open_time,
    )


def random_ledger(
    rng: np.random.Generator,
    question: Question,
    forecasters: np.ndarray,
    per_forecaster: int,
    *,
    until: datetime | None = None,
) -> Ledger:
    """Write per_forecaster entries by each forecaster, spread over the window."""
    start = _micros(question.open_time)
    end = _micros(min(question.close_time, until or question.close_time))
    users = rng.permutation(np.repeat(forecasters, per_forecaster))
    micros = np.sort(rng.integers(start, end, users.size))
    k = len(question.options)
    bp = binary_bp(rng, users) if question.is_binary else simplex_bp(rng, users, k)
    return write_ledger(question, micros, users, bp)


def binary_bp(rng: np.random.Generator, users: np.ndarray) -> np.ndarray:
    """Return [P(no), P(yes)] rows: each forecaster's belief plus noise, in bp."""
    ids, index = np.unique(users, return_inverse=True)
    belief = rng.normal(0.0, 1.3, ids.size)[index] + rng.normal(0.0, 0.6, users.size)
    yes = off_edges(np.rint(BP / (1.0 + np.exp(-belief))).astype(np.int64))
    return np.column_stack([BP - yes, yes])


def simplex_bp(rng: np.random.Generator, users: np.ndarray, k: int) -> np.ndarray:
    """Return rows of k options in bp, each at least MIN_BP, summing to BP."""
    shares = rng.dirichlet(np.ones(k), users.size)
    bp = MIN_BP + np.floor(shares * (BP - k * MIN_BP)).astype(np.int64)
    rows = np.arange(users.size)
    bp[rows, np.argmax(bp, axis=1)] += BP - bp.sum(axis=1)
    return bp


def off_edges(yes: np.ndarray) -> np.ndarray:
    """Clip P(yes) to the ledger's range and move it off multiples of 1,000 bp."""
    yes = np.clip(yes, MIN_BP + 1, MAX_BP - 1)
    return yes + (yes % 1000 == 0)


def write_ledger(
    question: Question, micros: np.ndarray, users: np.ndarray, bp: np.ndarray
) -> Ledger:
    """Insert the entries as a fresh chain, their standing rows, and the head."""
    first = next_id(Entry)
    ids = np.arange(first, first + users.size, dtype=np.int64)
    times = iso_times(micros)
    hashes = chain_hashes(question.slug, times, users, bp)
    insert_rows(
        Entry, ENTRY_COLUMNS, _entry_rows(question, ids, users, bp, times, hashes)
    )
    reset_ids(Entry)
    ledger = Ledger(question, ids, micros, users, bp)
    columns = (*STANDING_COLUMNS, "sums")
    insert_rows(Standing, columns, _standing_rows(ledger))
    LedgerHead.objects.filter(question=question).update(
        entries=users.size,
        entry_hash=hashes[-1] if hashes else GENESIS_HASH,
        last_entry_at=times[-1] if times else None,
        last_vector=bp[-1].tolist() if len(bp) else None,
    )
    analyze(Entry, Standing)
    return ledger


def iso_times(micros: np.ndarray) -> list[str]:
    """Return the ledger's time strings (…T12:00:00.123456Z) of Unix microseconds."""
    text = np.datetime_as_string(micros.astype("datetime64[us]"), unit="us")
    return [f"{t}Z" for t in text]


def chain_hashes(slug: str, times: list[str], users, bp: np.ndarray) -> list[str]:
    """Return each entry's hash in one chain, the first after the genesis hash."""
    prev, hashes = GENESIS_HASH, []
    probabilities = probability_texts(bp)
    for i, (time, user, probs) in enumerate(
        zip(times, users.tolist(), probabilities, strict=True)
    ):
        prev = entry_hash(slug, i + 1, user, probs, time, prev)
        hashes.append(prev)
    return hashes


def probability_texts(bp: np.ndarray) -> list[str]:
    """Return each row's hashed probabilities: '"0.2800","0.7200"'."""
    return [",".join(_QUOTED_BP[v] for v in row) for row in bp.tolist()]


def entry_hash(slug, sequence, user, probabilities, time, prev_hash) -> str:
    """Return an entry's hash: the canonical JSON written out, keys in order.

    The slug and the empty rationale need no JSON escaping, so the text equals
    ledger.canonical_hash's; verify_ledger checks it on every generated chain.
    """
    if not slug.replace("-", "").isalnum() or not slug.isascii():
        raise ValueError("Benchmark slugs are ASCII letters, digits and hyphens.")
    text = (
        f'{{"created_at":"{time}","prev_hash":"{prev_hash}",'
        f'"probabilities":[{probabilities}],"question":"{slug}","rationale":"",'
        f'"sequence":{sequence},"user":{user}}}'
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _entry_rows(question, ids, users, bp, times, hashes):
    binary = question.is_binary
    prev = [GENESIS_HASH, *hashes[:-1]]
    for i, (row, user) in enumerate(zip(bp.tolist(), users.tolist(), strict=True)):
        vector = "[" + ",".join(map(str, row)) + "]"
        yes = row[1] if binary else None
        yield (
            int(ids[i]),
            question.pk,
            user,
            i + 1,
            vector,
            yes,
            "",
            times[i],
            prev[i],
            hashes[i],
        )


def _standing_rows(ledger: Ledger):
    """Each forecaster's latest entry and running sums, as submit_forecast keeps them.

    The sums are the whole ledger folded at once (fold_ledger), which a test
    holds equal to the sums the forecast writes keep entry by entry.
    """
    sums = fold_ledger(ledger.micros, ledger.users, ledger.bp)
    stored = stored_table(sums)
    for u in np.argsort(sums.final).tolist():
        i = int(sums.final[u])
        yield (
            ledger.question.pk,
            int(ledger.users[i]),
            int(ledger.ids[i]),
            i + 1,
            json.dumps(ledger.bp[i].tolist()),
            stored[u].astype("<f8").tobytes(),
        )


def resolve(
    question: Question,
    *,
    outcome: int,
    effective_at: datetime,
    by: User,
    value: float | None = None,
) -> ResolutionEvent:
    """Append the next version of the resolution chain, without scoring it.

    A numeric or date question takes its value (outcome 1: inside the range).
    """
    head = LedgerHead.objects.get(question=question)
    fields = {
        "version": head.resolutions + 1,
        "outcome": outcome,
        "note": "Resolved again by the benchmark." if head.resolutions else "",
        "effective_at": effective_at,
        "created_at": effective_at,
        "prev_hash": head.resolution_hash,
        "value": value,
    }
    digest = canonical_hash(
        resolution_payload(
            question=question.slug,
            annulled=False,
            source_url="",
            resolved_by=by.pk,
            **fields,
        )
    )
    event = ResolutionEvent.objects.create(
        question=question, created_by=by, hash=digest, **fields
    )
    LedgerHead.objects.filter(question=question).update(
        resolutions=event.version,
        resolution_hash=digest,
        outcome=outcome,
        annulled=False,
    )
    return event


def staff_user(username: str = "bench-staff") -> User:
    """Return a staff account to resolve generated questions."""
    user, _ = User.objects.get_or_create(
        username=username, defaults={"is_staff": True, "password": "!"}
    )
    return user


def _micros(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)
