"""The forecast form of numeric and date questions: percentiles or components."""

import json
import math
import re
from datetime import UTC, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from forecasts.continuous import quantile_values
from forecasts.forms import ForecastForm, rationale_field


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
