"""The ledger's canonical form: probability units, entry and resolution hashes.

Pure functions, no ORM, so an export can be re-verified with this module alone.
Probabilities are stored as whole basis points (1 bp = 0.0001), which makes
the 4-decimal strings that the hash covers exact.

Entries carry a random salt in their hash, so a published hash commits to a
forecast without giving it away; entries written before salts have none and
keep the old recipe (no "salt" key in the payload).
"""

import hashlib
import json
import re
import secrets
from datetime import UTC, datetime
from decimal import Decimal

GENESIS_HASH = "0" * 64
BP = 10_000
MILLION = 1_000_000  # numeric and date CDFs are whole millionths
MIN_BP = 10  # 0.001
MAX_BP = 9_990  # 0.999
SALT_BYTES = 16  # 128 bits: 2**128 guesses per entry, whatever the forecast
SALT_PATTERN = re.compile(r"[0-9a-f]{32}")


class ProbabilityError(ValueError):
    """A probability that the ledger does not accept."""


def bp_to_str(bp: int) -> str:
    """Return the exact 4-decimal string of a basis-point value: 7200 -> '0.7200'."""
    return f"{bp // BP}.{bp % BP:04d}"


def millionths_to_str(m: int) -> str:
    """Return the exact 6-decimal string of millionths: 250000 -> '0.250000'."""
    return f"{m // MILLION}.{m % MILLION:06d}"


def vector_strings(vector, continuous: bool = False) -> list[str]:
    """Return a stored vector as the hash's strings: 4 decimals, 6 for a CDF."""
    to_str = millionths_to_str if continuous else bp_to_str
    return [to_str(v) for v in vector]


def value_to_str(value: float) -> str:
    """Return a resolved value as the hash's string: the shortest exact repr."""
    return repr(float(value))


def format_time(moment: datetime) -> str:
    """Return the hash's time format, YYYY-MM-DDTHH:MM:SS.ffffffZ, in UTC."""
    moment = moment.astimezone(UTC)
    # strftime's %Y does not pad years before 1000 on every platform.
    return f"{moment.year:04d}" + moment.strftime("-%m-%dT%H:%M:%S.%fZ")


def canonical_hash(payload: dict) -> str:
    """Return SHA-256 of the payload's sorted, compact, UTF-8 JSON."""
    text = json.dumps(
        payload, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def new_salt() -> str:
    """Return a fresh entry salt: 32 lowercase hex characters from `secrets`."""
    return secrets.token_hex(SALT_BYTES)


def entry_payload(
    *,
    question,
    sequence,
    user,
    probabilities_bp,
    rationale,
    created_at,
    prev_hash,
    salt=None,
    continuous=False,
) -> dict:
    """Return what a forecast entry's hash covers; "salt" only if it has one.

    A numeric or date question's CDF (millionths) is hashed with 6 decimals;
    the input it was built from is not hashed.
    """
    payload = {
        "question": question,
        "sequence": sequence,
        "user": user,
        "probabilities": vector_strings(probabilities_bp, continuous),
        "rationale": rationale,
        "created_at": format_time(created_at),
        "prev_hash": prev_hash,
    }
    if salt is not None:
        payload["salt"] = salt
    return payload


def resolution_payload(
    *,
    question,
    version,
    outcome,
    annulled,
    note,
    source_url,
    effective_at,
    created_at,
    resolved_by,
    prev_hash,
    value=None,
) -> dict:
    """Return what a resolution event's hash covers; "value" only if it has one."""
    payload = {
        "question": question,
        "version": version,
        "outcome": outcome,
        "annulled": annulled,
        "note": note,
        "source_url": source_url,
        "effective_at": format_time(effective_at),
        "created_at": format_time(created_at),
        "resolved_by": resolved_by,
        "prev_hash": prev_hash,
    }
    if value is not None:
        payload["value"] = value_to_str(value)
    return payload


def entry_hash(question_slug: str, entry, continuous: bool = False) -> str:
    """Return the hash of an entry, given as any object with the entry's fields.

    `continuous` says the entry is a numeric or date question's CDF.
    """
    return canonical_hash(
        entry_payload(
            question=question_slug,
            sequence=entry.sequence,
            user=entry.user_id,
            probabilities_bp=entry.probabilities_bp,
            rationale=entry.rationale,
            created_at=entry.created_at,
            prev_hash=entry.prev_hash,
            salt=getattr(entry, "salt", None),
            continuous=continuous,
        )
    )


def resolution_hash(question_slug: str, event) -> str:
    """Return the hash of a resolution event, given as any object with its fields."""
    return canonical_hash(
        resolution_payload(
            question=question_slug,
            version=event.version,
            outcome=event.outcome,
            annulled=event.annulled,
            note=event.note,
            source_url=event.source_url,
            effective_at=event.effective_at,
            created_at=event.created_at,
            resolved_by=event.created_by_id,
            prev_hash=event.prev_hash,
            value=getattr(event, "value", None),
        )
    )


def to_bp(value) -> int:
    """Return a probability in [0.001, 0.999] with at most 4 decimals as bp."""
    # A bool is an int to Python, and a string is not a number: both refused.
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ProbabilityError("Enter a number.")
    number = Decimal(repr(value) if isinstance(value, float) else value)
    if not number.is_finite():
        raise ProbabilityError("Enter a finite number.")
    scaled = number * BP
    if scaled != scaled.to_integral_value():
        raise ProbabilityError("Use at most 4 decimal places (0.1234).")
    bp = int(scaled)
    if not MIN_BP <= bp <= MAX_BP:
        raise ProbabilityError("Must be between 0.001 and 0.999.")
    return bp
