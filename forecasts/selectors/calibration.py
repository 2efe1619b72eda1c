"""Calibration points (forecast probability, outcome) for a user or the site."""

import numpy as np
from django.db.models import F
from django.utils import timezone

from forecasts import scoring
from forecasts.ledger import BP
from forecasts.models import Entry, Kind
from forecasts.selectors.scores import latest_scores

MODES = ("final", "all")


def calibration_points(*, user=None, tag=None, mode="final", now=None):
    """Return (probabilities, outcomes) arrays over resolved, non-annulled questions.

    A question counts only once its scheduled close has passed, so questions
    that can only resolve Yes early do not bias the chart (Metaculus#1480).
    Binary questions give P(yes); multiple choice one point per option.
    """
    now = now or timezone.now()
    rows = _final_rows(user, tag, now) if mode == "final" else _all_rows(user, tag, now)
    probs, outcomes = [], []
    for vector, outcome, kind in rows:
        if kind == Kind.BINARY:
            probs.append(vector[1])
            outcomes.append(outcome == 1)
            continue
        probs.extend(vector)
        outcomes.extend(k == outcome for k in range(len(vector)))
    return np.asarray(probs, dtype=float) / BP, np.asarray(outcomes, dtype=float)


def _final_rows(user, tag, now):
    scores = latest_scores().filter(question__close_time__lte=now)
    if user is not None:
        scores = scores.filter(user=user)
    if tag:
        scores = scores.filter(question__tags__slug=tag)
    return scores.values_list(
        "final_entry__probabilities_bp", "question__head__outcome", "question__kind"
    )


def _all_rows(user, tag, now):
    entries = Entry.objects.filter(
        question__close_time__lte=now,
        question__head__resolutions__gt=0,
        question__head__annulled=False,
        question__resolutions__version=F("question__head__resolutions"),
        created_at__lt=F("question__resolutions__scoring__window_end"),
    )
    if user is not None:
        entries = entries.filter(user=user)
    if tag:
        entries = entries.filter(question__tags__slug=tag)
    return entries.values_list(
        "probabilities_bp", "question__head__outcome", "question__kind"
    )


def calibration_for(*, user=None, tag=None, mode="final") -> scoring.Calibration:
    """Return the calibration table and Murphy terms for a user or the whole site."""
    probs, outcomes = calibration_points(user=user, tag=tag, mode=mode)
    return scoring.calibration(probs, outcomes)
