"""A seeded ledger of numeric forecasts: 201-point CDFs, salted hashes, set-based.

Each forecaster holds a logistic belief on the scaled axis (a centre and a
spread) and each entry moves it a little. The CDF is the README's components
recipe with one component: the logistic rescaled to run 0…1 over the range,
mixed with 2% of the uniform so every bucket has mass, then shrunk to 0.99 for
the open upper bound; in millionths, every step is at least 98 (the rule asks
for 50). Hashes follow the README's recipe, salt included, so verify_ledger
passes on what this writes.
"""

import hashlib
import json
from dataclasses import dataclass

import numpy as np

from bench.data import ENTRY_COLUMNS, STANDING_COLUMNS, _micros, iso_times
from bench.rows import analyze, insert_rows, next_id, reset_ids
from forecasts.ledger import GENESIS_HASH, MILLION
from forecasts.models import Entry, LedgerHead, Question, Standing

CDF_ENTRY_COLUMNS = (*ENTRY_COLUMNS, "salt", "input")
GRID = np.linspace(0.0, 1.0, 201)


@dataclass(frozen=True)
class CdfLedger:
    """One question's generated entries, in ledger order."""

    ids: np.ndarray
    users: np.ndarray
    cdfs: np.ndarray  # (entries, 201) int64 millionths
    inputs: list

    def __len__(self) -> int:
        return len(self.ids)


def write_cdf_ledger(
    rng: np.random.Generator, question: Question, forecasters, per_forecaster: int
) -> CdfLedger:
    """Write per_forecaster CDF entries by each forecaster over the window."""
    users = rng.permutation(np.repeat(forecasters, per_forecaster))
    start, end = _micros(question.open_time), _micros(question.close_time)
    micros = np.sort(rng.integers(start, end, users.size))
    centres, spreads = _beliefs(rng, users)
    cdfs = logistic_cdfs(centres, spreads)
    axis = question.axis()
    inputs = [
        {
            "components": [
                {"center": float(axis.from_unit(c)), "spread": s, "weight": 1.0}
            ]
        }
        for c, s in zip(centres.tolist(), spreads.tolist(), strict=True)
    ]
    first = next_id(Entry)
    ids = np.arange(first, first + users.size, dtype=np.int64)
    times = iso_times(micros)
    salts = [rng.bytes(16).hex() for _ in range(users.size)]
    hashes = _chain(question.slug, times, users, cdfs, salts)
    ledger = CdfLedger(ids, users, cdfs, inputs)
    insert_rows(
        Entry,
        CDF_ENTRY_COLUMNS,
        _entry_rows(question, ledger, times, hashes, salts),
    )
    reset_ids(Entry)
    insert_rows(Standing, STANDING_COLUMNS, _standing_rows(question, ledger))
    LedgerHead.objects.filter(question=question).update(
        entries=users.size, entry_hash=hashes[-1], last_entry_at=times[-1]
    )
    analyze(Entry, Standing)
    return ledger


def _beliefs(rng, users: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    ids, index = np.unique(users, return_inverse=True)
    centre = rng.normal(0.5, 0.12, ids.size)[index] + rng.normal(0, 0.04, users.size)
    spread = rng.uniform(0.02, 0.12, ids.size)[index]
    return np.clip(centre, 0.05, 0.95), spread


def logistic_cdfs(centres: np.ndarray, spreads: np.ndarray) -> np.ndarray:
    """Return each (centre, spread) logistic's valid CDF on the grid, in millionths."""
    g = 1.0 / (1.0 + np.exp(-(GRID - centres[:, None]) / spreads[:, None]))
    g = (g - g[:, :1]) / (g[:, -1:] - g[:, :1])
    cdf = 0.99 * (0.98 * g + 0.02 * GRID)
    return np.rint(cdf * MILLION).astype(np.int64)


def _chain(slug, times, users, cdfs, salts) -> list[str]:
    """Return each entry's hash: the canonical JSON written out, keys sorted."""
    if cdfs.max() >= MILLION:
        raise ValueError("The generated CDFs stay below 1 (open upper bound).")
    prev, hashes = GENESIS_HASH, []
    quoted = json.dumps(slug)
    for i, (time, user, row, salt) in enumerate(
        zip(times, users.tolist(), cdfs.tolist(), salts, strict=True)
    ):
        probabilities = ",".join([f'"0.{v:06d}"' for v in row])
        text = (
            f'{{"created_at":"{time}","prev_hash":"{prev}",'
            f'"probabilities":[{probabilities}],"question":{quoted},'
            f'"rationale":"","salt":"{salt}","sequence":{i + 1},"user":{user}}}'
        )
        prev = hashlib.sha256(text.encode()).hexdigest()
        hashes.append(prev)
    return hashes


def _entry_rows(question, ledger: CdfLedger, times, hashes, salts):
    prev = [GENESIS_HASH, *hashes[:-1]]
    for i, (row, user) in enumerate(
        zip(ledger.cdfs.tolist(), ledger.users.tolist(), strict=True)
    ):
        yield (
            int(ledger.ids[i]),
            question.pk,
            user,
            i + 1,
            "[" + ",".join(map(str, row)) + "]",
            None,
            "",
            times[i],
            prev[i],
            hashes[i],
            salts[i],
            json.dumps(ledger.inputs[i]),
        )


def _standing_rows(question, ledger: CdfLedger):
    users = ledger.users
    _, from_end = np.unique(users[::-1], return_index=True)
    for i in np.sort(len(users) - 1 - from_end).tolist():
        vector = "[" + ",".join(map(str, ledger.cdfs[i].tolist())) + "]"
        yield question.pk, int(users[i]), int(ledger.ids[i]), i + 1, vector
