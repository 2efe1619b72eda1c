"""Forms of the site's pages: forecasts in percent, filters and resolutions."""

import json
import math
import re
from datetime import UTC, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from forecasts.ledger import BP, MAX_BP, MIN_BP
from forecasts.selectors.calibration import MODES
from forecasts.selectors.questions import LISTED_STATUSES
from forecasts.selectors.scores import LEADERBOARD_ORDER
from forecasts.services.forecasting import MAX_RATIONALE

# The ledger keeps 4-decimal fractions, so a percentage has at most 2 decimals.
PERCENT_PLACES = 2
HUNDRED = Decimal(100)
MIN_PERCENT = Decimal(MIN_BP) * HUNDRED / BP
MAX_PERCENT = Decimal(MAX_BP) * HUNDRED / BP
CENT = Decimal(1).scaleb(-PERCENT_PLACES)

STATUS_LABELS = {
    "upcoming": "Upcoming",
    "open": "Open",
    "closed": "Closed, awaiting resolution",
    "resolved": "Resolved",
    "annulled": "Annulled",
    "draft": "Draft",
}

RANKINGS = {
    "brier": "Mean Brier (time-averaged)",
    "relative_brier": "Mean relative Brier",
    "points": "Market points",
}
CALIBRATION_MODES = {"final": "Final forecast per question", "all": "Every entry"}


def percent_field(label: str) -> forms.DecimalField:
    """Return a field for one probability in percent, 0.1 to 99.9."""
    bounds = f"Enter a percentage from {MIN_PERCENT} to {MAX_PERCENT}."
    return forms.DecimalField(
        label=label,
        min_value=MIN_PERCENT,
        max_value=MAX_PERCENT,
        decimal_places=PERCENT_PLACES,
        error_messages={
            "required": "Enter a percentage.",
            "invalid": bounds,
            "min_value": bounds,
            "max_value": bounds,
            "max_decimal_places": "Use at most 2 decimal places, e.g. 72.25.",
        },
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )


def to_fraction(percent: Decimal) -> Decimal:
    """Return a percentage as an exact fraction: Decimal("72.5") -> 0.725."""
    return percent / HUNDRED


def to_percent(fraction: float) -> Decimal:
    """Return a ledger fraction as a percentage: 0.81 -> 81, 0.725 -> 72.5."""
    return plain((Decimal(str(fraction)) * HUNDRED).quantize(CENT))


def plain(number: Decimal) -> Decimal:
    """Return the number without trailing zeros, never in exponent form."""
    text = f"{number:f}"
    return Decimal(text.rstrip("0").rstrip(".") if "." in text else text)


ODDS = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(:|to|in)\s*(\d+(?:\.\d+)?)\s*$", re.I)


def odds_to_percent(text: str) -> Decimal:
    """Return odds such as "3:1", "3 to 1" or "1 in 8" as a percentage of Yes.

    a:b and "a to b" are a chances for Yes against b; "a in b" is a/b. The
    result is rounded to 2 decimals and must lie within 0.1..99.9.
    """
    match = ODDS.match(text)
    if not match:
        raise ValidationError("Enter odds as 3:1, 3 to 1 or 1 in 8.")
    a, kind, b = Decimal(match[1]), match[2].lower(), Decimal(match[3])
    whole = b if kind == "in" else a + b
    if whole == 0 or (kind == "in" and a > b):
        raise ValidationError("Enter odds as 3:1, 3 to 1 or 1 in 8.")
    percent = (a * HUNDRED / whole).quantize(CENT, ROUND_HALF_UP)
    if not MIN_PERCENT <= percent <= MAX_PERCENT:
        raise ValidationError(
            f"These odds are {plain(percent)}%; "
            f"give odds from {MIN_PERCENT}% to {MAX_PERCENT}%."
        )
    return plain(percent)


def rationale_field() -> forms.CharField:
    return forms.CharField(
        label="Rationale (optional)",
        required=False,
        strip=False,
        max_length=MAX_RATIONALE,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why you believe this. Kept in the ledger with your forecast; "
        "others see it only after the question resolves.",
    )


class Form(forms.Form):
    """A form whose labels end without a colon."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class ForecastForm(Form):
    """Shared by both kinds: the service call and its errors, mapped to fields."""

    field_of_service_error: dict[str, str | None] = {"question": None}

    def add_service_errors(self, error: ValidationError) -> None:
        """Show a service's refusal next to the field it names."""
        for key, messages in error.message_dict.items():
            name = self.field_of_service_error.get(key, key)
            self.add_error(name if name in self.fields else None, messages)


class BinaryForecastForm(ForecastForm):
    probability = percent_field("Your probability of Yes (%)")
    odds = forms.CharField(
        label="Or as odds",
        required=False,
        max_length=40,
        help_text="Such as 3:1 (3 to 1 for Yes) or 1 in 8; when given, it decides.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 8}),
    )
    rationale = rationale_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Odds may stand in for a missing or rejected number box.
        self.fields["probability"].required = False

    def clean(self):
        cleaned = super().clean()
        odds = cleaned.get("odds", "").strip()
        if odds:
            try:
                cleaned["probability"] = odds_to_percent(odds)
            except ValidationError as error:
                self.add_error("odds", error)
                return cleaned
            self.errors.pop("probability", None)
        elif cleaned.get("probability") is None and "probability" not in self.errors:
            self.add_error("probability", "Enter a percentage.")
        return cleaned

    def service_arguments(self) -> dict:
        return {
            "probability": to_fraction(self.cleaned_data["probability"]),
            "rationale": self.cleaned_data["rationale"],
        }


class MultipleChoiceForecastForm(ForecastForm):
    """One percentage per option, adding up to 100%."""

    field_of_service_error = {"question": None, "probabilities": None}

    def __init__(self, *args, options: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for index, label in enumerate(options):
            self.fields[f"option_{index}"] = percent_field(label)
        self.fields["rationale"] = rationale_field()
        self.option_names = [f"option_{i}" for i in range(len(options))]

    def option_fields(self):
        return [self[name] for name in self.option_names]

    def percentages(self) -> list[Decimal]:
        return [self.cleaned_data[name] for name in self.option_names]

    def clean(self):
        cleaned = super().clean()
        # The Normalise button posts the same boxes to be scaled to 100%.
        normalising = self.data.get("action") == "normalise"
        if not normalising and all(name in cleaned for name in self.option_names):
            total = sum(self.percentages())
            if total != HUNDRED:
                raise ValidationError(
                    f"The percentages add up to {plain(total)}%; they must add up "
                    "to 100%. Normalise scales them for you."
                )
        return cleaned

    def total(self) -> Decimal | None:
        """Return the sum of the entered percentages, or None if one is unreadable."""
        try:
            return sum((Decimal(str(f.value())) for f in self.option_fields()), 0)
        except ArithmeticError:
            return None

    def service_arguments(self) -> dict:
        return {
            "probabilities": [to_fraction(p) for p in self.percentages()],
            "rationale": self.cleaned_data["rationale"],
        }

    def normalised_data(self):
        """Return the submitted data with the percentages scaled to sum to 100."""
        data = self.data.copy()
        for name, value in zip(
            self.option_names, normalise(self.percentages()), strict=True
        ):
            data[self.add_prefix(name)] = str(plain(value))
        return data


def normalise(percentages: list[Decimal]) -> list[Decimal]:
    """Scale percentages to sum to exactly 100.00, each within 0.1..99.9.

    Largest-remainder rounding to hundredths: every share is rounded down and
    the hundredths left over go to the largest remainders, ties to the earlier
    option. A share that would fall under 0.1 is held there and the others are
    shared out again over what is left.
    """
    low = int(MIN_PERCENT / CENT)
    cents = [max(int(p / CENT), low) for p in percentages]
    held: dict[int, int] = {}
    while True:
        free = [i for i in range(len(cents)) if i not in held]
        shares = _largest_remainder(
            [cents[i] for i in free], int(HUNDRED / CENT) - sum(held.values())
        )
        small = {i: low for i, share in zip(free, shares, strict=True) if share < low}
        if not small:
            break
        held.update(small)
    # With every share at least 0.1, none can pass 99.9: no upper clamp.
    result = held | dict(zip(free, shares, strict=True))
    return [Decimal(result[i]) * CENT for i in range(len(cents))]


def _largest_remainder(weights: list[int], total: int) -> list[int]:
    """Return whole shares of total in proportion to weights, summing to total."""
    whole = sum(weights)
    shares = [w * total // whole for w in weights]
    remainders = [w * total % whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-remainders[i], i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def equal_split(k: int) -> list[Decimal]:
    """Return k percentages as equal as 2 decimals allow, summing to 100."""
    share = (HUNDRED / k).quantize(CENT, ROUND_DOWN)
    return [share] * (k - 1) + [HUNDRED - share * (k - 1)]


def forecast_form(question, data=None, standing=None):
    """Return the forecast form for the question's kind, prefilled from standing."""
    if question.is_continuous:
        return DistributionForecastForm(data, question=question, standing=standing)
    if question.is_binary:
        # The slider starts where the box does: the standing forecast, else 50%.
        initial = {"probability": to_percent(standing[1]) if standing else 50}
        return BinaryForecastForm(data, initial=initial)
    values = (
        [to_percent(p) for p in standing]
        if standing
        else [plain(p) for p in equal_split(len(question.options))]
    )
    initial = {f"option_{i}": value for i, value in enumerate(values)}
    return MultipleChoiceForecastForm(data, initial=initial, options=question.options)


class DistributionForecastForm(ForecastForm):
    """A numeric or date forecast: three percentiles, or the editor's components.

    The server builds the CDF from [[0.1, x10], [0.5, x50], [0.9, x90]]; a
    non-empty `components` (JSON, written by the page's editor) takes precedence.
    """

    PERCENTILES = (("p10", 0.1), ("p50", 0.5), ("p90", 0.9))

    def __init__(self, *args, question, standing=None, **kwargs):
        self.question = question
        if standing is not None:
            kwargs["initial"] = percentile_initial(question, standing)
        super().__init__(*args, **kwargs)
        unit = (
            "" if question.is_date else f" ({question.unit})" if question.unit else ""
        )
        for name, level in self.PERCENTILES:
            label = f"{round(level * 100)}th percentile{unit}"
            self.fields[name] = percentile_field(question, label)
        self.fields["components"] = forms.CharField(
            required=False, widget=forms.HiddenInput
        )
        self.fields["rationale"] = rationale_field()

    def percentile_fields(self):
        return [self[name] for name, _ in self.PERCENTILES]

    def clean_components(self):
        text = self.cleaned_data["components"].strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except ValueError:
            raise ValidationError("The editor's components are not JSON.") from None

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("components") is not None:
            for name, _ in self.PERCENTILES:
                self.errors.pop(name, None)
            return cleaned
        for name, _ in self.PERCENTILES:
            if cleaned.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, "Enter a value.")
        return cleaned

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        if data.get("components") is not None:
            given = {"components": data["components"]}
        else:
            pairs = [
                [level, self._value(data[name])] for name, level in self.PERCENTILES
            ]
            given = {"quantiles": pairs}
        return {**given, "rationale": data["rationale"]}

    def _value(self, value):
        """Return a box's value for the service: a date is its local midnight."""
        if not self.question.is_date:
            return value
        midnight = datetime.combine(value, datetime.min.time())
        return timezone.make_aware(midnight).isoformat()

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a pair's error next to its percentile box; the rest above the form."""
        for key, messages in error.message_dict.items():
            name = None
            match = re.match(r"quantiles\[(\d)\]", messages[0])
            if key == "quantiles" and match and int(match[1]) < 3:
                name = self.PERCENTILES[int(match[1])][0]
            self.add_error(name if "components" not in key else None, messages)


def percentile_field(question, label: str) -> forms.Field:
    """Return a box for one percentile: a number, or a date in the visitor's zone."""
    if question.is_date:
        return forms.DateField(
            label=label,
            required=False,
            input_formats=["%Y-%m-%d"],
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            error_messages={"invalid": "Enter a date as YYYY-MM-DD."},
        )
    return forms.FloatField(
        label=label,
        required=False,
        error_messages={"invalid": "Enter a number."},
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )


def percentile_initial(question, cdf) -> dict:
    """Return the standing forecast's 10th, 50th and 90th percentiles as box values."""
    from forecasts.continuous import quantile_values

    values = quantile_values(question, cdf, (0.1, 0.5, 0.9))
    initial = {}
    for (name, _), x in zip(DistributionForecastForm.PERCENTILES, values, strict=True):
        if not math.isfinite(x):
            continue
        if question.is_date:
            moment = datetime.fromtimestamp(float(x), tz=UTC)
            initial[name] = timezone.localtime(moment).date()
        else:
            initial[name] = float(f"{x:.6g}")
    return initial


class QuestionFilterForm(Form):
    q = forms.CharField(label="Search", required=False, max_length=200)
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status")] + [(s, STATUS_LABELS[s]) for s in LISTED_STATUSES],
    )
    tag = forms.SlugField(required=False)


class LeaderboardForm(Form):
    by = forms.ChoiceField(
        label="Rank by",
        required=False,
        choices=[(key, RANKINGS[key]) for key in LEADERBOARD_ORDER],
    )
    tag = forms.SlugField(required=False)
    min = forms.IntegerField(
        label="Minimum resolved questions", required=False, min_value=1, max_value=1000
    )


class CalibrationForm(Form):
    tag = forms.SlugField(required=False)
    mode = forms.ChoiceField(
        label="Forecasts",
        required=False,
        choices=[(mode, CALIBRATION_MODES[mode]) for mode in MODES],
    )


def filters(form: forms.Form, **defaults) -> dict:
    """Return the form's cleaned values, falling back to defaults when unset or bad."""
    values = dict(defaults)
    if form.is_valid():
        values.update({k: v for k, v in form.cleaned_data.items() if v})
    return values


ANNUL = "annul"


class ResolveForm(Form):
    """Staff's resolution input; resolve_question decides whether it is allowed."""

    outcome = forms.ChoiceField(label="Outcome", widget=forms.RadioSelect)
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when annulling or re-resolving. Shown on the question.",
    )
    source_url = forms.URLField(
        label="Source link", required=False, assume_scheme="https", max_length=500
    )
    effective_at = forms.DateTimeField(
        label="Outcome known at",
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text="When the answer became known. Leave empty for now. Forecasts "
        "made after it are kept but not scored.",
    )

    def __init__(self, *args, question, **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        # Typed in the visitor's zone (VisitorTimezoneMiddleware), stored in UTC.
        zone = timezone.get_current_timezone_name()
        self.fields["effective_at"].label = f"Outcome known at ({zone})"
        self.fields["outcome"].choices = [
            (str(i), label) for i, label in enumerate(question.options)
        ] + [(ANNUL, "Annul (no one is scored)")]

    def service_arguments(self) -> dict:
        outcome = self.cleaned_data["outcome"]
        return {
            "outcome": None if outcome == ANNUL else int(outcome),
            "annulled": outcome == ANNUL,
            "note": self.cleaned_data["note"],
            "source_url": self.cleaned_data["source_url"],
            "effective_at": self.cleaned_data["effective_at"],
        }

    def add_service_errors(self, error: ValidationError) -> None:
        for key, messages in error.message_dict.items():
            self.add_error(key if key in self.fields else None, messages)
