"""Recompute every chain, head and derived row from the ledger, and report breaks."""

from collections.abc import Iterator
from types import SimpleNamespace

import numpy as np
from django.conf import settings
from django.db.models import Exists, OuterRef

from forecasts import scoring
from forecasts.ledger import (
    BP,
    GENESIS_HASH,
    MAX_BP,
    MIN_BP,
    SALT_PATTERN,
    entry_hash,
    resolution_hash,
)
from forecasts.models import (
    CommunityPoint,
    Entry,
    LedgerHead,
    Question,
    ResolutionEvent,
    Score,
    Standing,
)
from forecasts.scoring.running import differing_sums
from forecasts.selectors.arrays import entry_arrays, to_microseconds

ENTRY_COLUMNS = (
    "id",
    "question_id",
    "sequence",
    "user_id",
    "probabilities_bp",
    "p_yes_bp",
    "rationale",
    "created_at",
    "salt",
    "prev_hash",
    "hash",
)


def verify_ledger() -> list[str]:
    """Return one message per broken chain, naming its first bad row; [] if sound."""
    questions = {q.pk: q for q in Question.objects.all()}
    heads = {h.question_id: h for h in LedgerHead.objects.all()}
    problems = []
    for question in questions.values():
        head = heads.get(question.pk)
        problems += _check_entries(question, head)
        problems += _check_resolutions(question, head)
        problems += _check_community(question)
    return problems + _check_scores()


def _entries(question: Question) -> Iterator[dict]:
    rows = Entry.objects.filter(question=question).order_by("sequence", "id")
    for row in rows.values_list(*ENTRY_COLUMNS).iterator(chunk_size=5000):
        yield dict(zip(ENTRY_COLUMNS, row, strict=True))


def _check_entries(question: Question, head) -> list[str]:
    where = f"question {question.slug}"
    prev_hash, prev_time, count, latest = GENESIS_HASH, None, 0, {}
    ledger = ([], [], [])  # times, users and vectors, for the running sums
    for row in _entries(question):
        count += 1
        name = f"{where} entry #{row['sequence']} (id {row['id']})"
        problem = _entry_problem(question, row, count, prev_hash, prev_time)
        if problem:
            return [f"{name}: {problem}"]
        prev_hash, prev_time = row["hash"], row["created_at"]
        latest[row["user_id"]] = row["id"]
        if not question.is_continuous:
            ledger[0].append(to_microseconds(row["created_at"]))
            ledger[1].append(row["user_id"])
            ledger[2].append(row["probabilities_bp"])
    if head is None:
        return [f"{where}: the ledger head is missing"] if count else []
    if (head.entries, head.entry_hash) != (count, prev_hash):
        return [
            f"{where}: ledger head says {head.entries} entries ending "
            f"{head.entry_hash}, the chain has {count} ending {prev_hash} "
            "(an entry was removed or added)"
        ]
    if head.last_entry_at != prev_time:
        return [f"{where}: ledger head time does not match the last entry"]
    return _check_standing(question, latest) or _check_sums(question, ledger)


def _entry_problem(question, row, count, prev_hash, prev_time) -> str | None:
    if row["sequence"] != count:
        return f"sequence {row['sequence']} where {count} was expected"
    if row["prev_hash"] != prev_hash:
        return "previous hash does not match the entry before it"
    if prev_time is not None and row["created_at"] < prev_time:
        return "created before the entry preceding it"
    vector = row["probabilities_bp"]
    if not _valid_vector(question, vector):
        return f"stored probabilities {vector!r} are not a valid forecast"
    expected_yes = vector[1] if question.is_binary else None
    if row["p_yes_bp"] != expected_yes:
        return "stored P(yes) disagrees with the probability vector"
    # None is an entry from before salts, hashed by the old recipe.
    if row["salt"] is not None and not SALT_PATTERN.fullmatch(row["salt"]):
        return "salt is not 32 lowercase hex characters"
    digest = entry_hash(question.slug, SimpleNamespace(**row), question.is_continuous)
    if digest != row["hash"]:
        return "hash does not match the entry's contents"
    return None


def _valid_vector(question: Question, vector) -> bool:
    if question.is_continuous:
        return _valid_cdf(question, vector)
    return (
        isinstance(vector, list)
        and len(vector) == len(question.options)
        and all(type(v) is int and MIN_BP <= v <= MAX_BP for v in vector)
        and sum(vector) == BP
    )


def _valid_cdf(question: Question, vector) -> bool:
    if not isinstance(vector, list) or not all(type(v) is int for v in vector):
        return False
    try:
        scoring.validate_cdf(
            vector, question.open_lower_bound, question.open_upper_bound
        )
    except scoring.ContinuousInputError:
        return False
    return True


def _check_standing(question: Question, latest: dict) -> list[str]:
    stored = dict(
        Standing.objects.filter(question=question).values_list("user_id", "entry_id")
    )
    if stored != latest:
        return [
            f"question {question.slug}: standing forecasts disagree with the ledger"
        ]
    return []


def _check_sums(question: Question, ledger) -> list[str]:
    """Check the running sums scoring reads against the ledger folded anew.

    Null sums are allowed (scoring then reads the ledger); stored ones must
    agree to rounding: the fold adds the same terms in the same order.
    """
    times, users, vectors = ledger
    if not times:
        return []
    folded = scoring.fold_ledger(times, users, vectors)
    stored = Standing.objects.filter(question=question, sums__isnull=False)
    rows = stored.values_list("user_id", "sums").order_by("user_id")
    differing = differing_sums(folded, rows, rtol=1e-12)
    if differing:
        return [
            f"question {question.slug}: running sums of user {min(differing)} "
            "disagree with the ledger"
        ]
    return []


def _check_resolutions(question: Question, head) -> list[str]:
    where = f"question {question.slug}"
    prev_hash, count, last = GENESIS_HASH, 0, None
    for event in ResolutionEvent.objects.filter(question=question).order_by("version"):
        count += 1
        name = f"{where} resolution v{event.version} (id {event.pk})"
        if event.version != count:
            return [f"{name}: version {event.version} where {count} was expected"]
        if event.prev_hash != prev_hash:
            return [f"{name}: previous hash does not match the event before it"]
        if resolution_hash(question.slug, event) != event.hash:
            return [f"{name}: hash does not match the event's contents"]
        prev_hash, last = event.hash, event
    state = (
        count,
        prev_hash,
        last.outcome if last else None,
        bool(last and last.annulled),
    )
    if (
        head
        and (
            head.resolutions,
            head.resolution_hash,
            head.outcome,
            head.annulled,
        )
        != state
    ):
        return [f"{where}: ledger head disagrees with the resolution log"]
    return []


def _check_community(question: Question) -> list[str]:
    points = list(
        CommunityPoint.objects.filter(question=question)
        .order_by("time")
        .values_list("time", "probabilities", "forecasters")
    )
    if not points:
        return []
    times = np.array([t.timestamp() for t, _, _ in points])
    arrays = entry_arrays(question, before=points[-1][0])
    step = settings.COMMUNITY_STEP_SECONDS
    expected = scoring.community_boundaries(
        arrays.times[0] if len(arrays) else times[-1], times[-1] + 1, step
    )
    if len(expected) != len(times) or not np.array_equal(expected, times):
        return [
            f"question {question.slug}: community series has missing or extra points"
        ]
    if question.is_continuous:
        vectors, counts = scoring.continuous_community_series(
            arrays.times, arrays.users, arrays.vectors, times
        )
    else:
        vectors, counts = scoring.community_series(
            arrays.times, arrays.users, arrays.vectors, times, question.is_binary
        )
    for i, (moment, stored, forecasters) in enumerate(points):
        if forecasters != counts[i] or not np.allclose(stored, vectors[i], atol=1e-9):
            return [
                f"question {question.slug}: community point at {moment.isoformat()} "
                "does not match the ledger"
            ]
    return []


def _check_scores() -> list[str]:
    """Report the first score whose final entry or resolution is not its own."""
    entry = Entry.objects.filter(
        pk=OuterRef("final_entry_id"),
        question_id=OuterRef("question_id"),
        user_id=OuterRef("user_id"),
    )
    event = ResolutionEvent.objects.filter(
        pk=OuterRef("resolution_id"), question_id=OuterRef("question_id")
    )
    broken = Score.objects.filter(~Exists(entry) | ~Exists(event)).order_by("pk")
    score = broken.values("pk", "resolution_id", "user_id").first()
    if score is None:
        return []
    return [
        f"score {score['pk']} (resolution id {score['resolution_id']}, user id "
        f"{score['user_id']}): its final entry or resolution is not of its "
        "question and forecaster"
    ]


def community_problems(question: Question) -> list[str]:
    """Return what is wrong with one question's stored community series; [] if sound."""
    return _check_community(question)
