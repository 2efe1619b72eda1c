"""Values of numeric and date questions: parse, format and summarise them.

Shared by services, the API, forms and pages. A date question's values are
POSIX seconds inside; outside they are ISO 8601 datetimes (a bare date reads as
midnight UTC).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import numpy as np

from forecasts import scoring
from forecasts.ledger import MILLION

SUMMARY_LEVELS = (0.1, 0.5, 0.9)


class InvalidValue(ValueError):
    """A value that is not a number (or, for dates, not an ISO datetime)."""


def parse_value(question, raw) -> float:
    """Return a question value as a float (POSIX seconds for dates), or raise."""
    return parse_kind_value(question.is_date, raw)


def parse_kind_value(is_date: bool, raw) -> float:
    """Return a value as a float: an ISO datetime's POSIX seconds if is_date."""
    if is_date:
        if isinstance(raw, datetime):
            moment = raw
        elif isinstance(raw, str):
            try:
                moment = datetime.fromisoformat(raw.strip().replace("Z", "+00:00"))
            except ValueError:
                raise InvalidValue("Enter an ISO 8601 date or datetime.") from None
        else:
            raise InvalidValue("Enter an ISO 8601 date or datetime.")
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.timestamp()
    if isinstance(raw, bool) or not isinstance(raw, int | float | Decimal | str):
        raise InvalidValue("Enter a number.")
    try:
        value = float(raw)
    except ValueError:
        raise InvalidValue("Enter a number.") from None
    if not math.isfinite(value):
        raise InvalidValue("Enter a finite number.")
    return value


def iso(seconds: float) -> str:
    """Return POSIX seconds as an ISO 8601 UTC datetime: 2026-01-02T00:00:00Z."""
    moment = datetime.fromtimestamp(seconds, tz=UTC)
    return moment.isoformat().replace("+00:00", "Z")


def api_value(question, value: float | None):
    """Return a value for the API: a number, or an ISO datetime for dates."""
    if value is None or not math.isfinite(value):
        return None
    return iso(value) if question.is_date else value


def compact_number(x: float) -> str:
    """Return 131072 as 131K, 1048576 as 1M, 0.25 as 0.25: three figures."""
    size = abs(x)
    for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size >= limit:
            return f"{x / limit:.3g}{suffix}"
    return f"{x:.3g}"


def display_value(question, value: float) -> str:
    """Return a value as a page shows it: a date, or a number with its unit."""
    if value == -math.inf:
        return "below the range"
    if value == math.inf:
        return "above the range"
    if question.is_date:
        return datetime.fromtimestamp(value, tz=UTC).strftime("%Y-%m-%d")
    if question.scale == "log" or abs(value) >= 1e4:
        text = compact_number(value)
    else:
        text = f"{value:.4g}"
    return f"{text} {question.unit}".rstrip()


def cdf_of(question, millionths) -> np.ndarray:
    """Return a stored CDF (millionths) as floats."""
    return np.asarray(millionths, dtype=float) / MILLION


def quantile_values(question, cdf, levels=scoring.QUANTILE_LEVELS) -> np.ndarray:
    """Return the x of each level of a CDF (floats); ±inf beyond an open bound."""
    _, x = scoring.cdf_quantiles(np.asarray(cdf, dtype=float), question.axis(), levels)
    return x


def api_quantiles(question, cdf) -> dict:
    """Return {"0.05": x, …, "0.95": x} for the API; beyond a bound is null."""
    values = quantile_values(question, cdf)
    return {
        str(level): api_value(question, float(x))
        for level, x in zip(scoring.QUANTILE_LEVELS, values, strict=True)
    }


@dataclass(frozen=True)
class Summary:
    """A CDF's median and 80% interval as a page shows them."""

    median: str
    low: str
    high: str

    def __str__(self):
        return f"{self.median} (80%: {self.low} – {self.high})"


def summary(question, cdf) -> Summary:
    """Return the median and the 10th–90th percentile interval in display form."""
    low, median, high = quantile_values(question, cdf, SUMMARY_LEVELS)
    return Summary(*(display_value(question, float(x)) for x in (median, low, high)))


def _given_value(question, raw) -> str:
    try:
        return display_value(question, parse_value(question, raw))
    except InvalidValue:
        return str(raw)


def input_summary(question, given) -> str:
    """Return an entry's input in a few words: its quantiles or components."""
    if not isinstance(given, dict):
        return ""
    if "quantiles" in given:
        pairs = given["quantiles"]
        return "Given as quantiles: " + ", ".join(
            f"{round(p * 100, 1):g}%: {_given_value(question, x)}" for p, x in pairs
        )
    if "components" in given:
        parts = given["components"]
        return f"Given as {len(parts)} component{'s' if len(parts) != 1 else ''}: " + (
            ", ".join(_given_value(question, c["center"]) for c in parts)
        )
    return "Given as a CDF of 201 values."
