from django import forms
from django.utils import timezone

from forecasts import continuous
from forecasts.models import CONTINUOUS_KINDS, Kind, Scale

ENDS = ("range_min", "range_max")
# A date question's range is typed in these; the service stores POSIX seconds.
DATE_ENDS = {"range_min": "date_min", "range_max": "date_max"}
CATEGORICAL_DEFAULTS = {
    "range_min": None,
    "range_max": None,
    "scale": Scale.LINEAR,
    "open_lower_bound": False,
    "open_upper_bound": False,
    "unit": "",
}


def _date_input(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text="Date questions only, in UTC (a date alone is midnight UTC).",
    )


def _number_input(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="Numeric questions only.",
    )


class ProposalForm(forms.Form):
    """A proposed question; the service checks it as it checks a new question."""

    title = forms.CharField(max_length=200)
    slug = forms.SlugField(
        max_length=80,
        required=False,
        help_text="The question's address; leave empty to make one from the title.",
    )
    body = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=20_000,
        help_text="Background, in Markdown.",
    )
    resolution_criteria = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=20_000,
        help_text="How it resolves, in Markdown.",
    )
    kind = forms.ChoiceField(
        choices=Kind.choices,
        initial=Kind.BINARY,
        help_text="Binary and multiple choice ignore the range fields below; "
        "numeric and date ignore the options.",
    )
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Multiple choice: one option per line. Binary: leave empty. "
        "Numeric and date: ignored.",
    )
    ordered = forms.BooleanField(
        required=False, help_text="Multiple choice whose options form a scale."
    )
    range_min = _number_input("Range: lowest value")
    range_max = _number_input("Range: highest value")
    date_min = _date_input("Range: earliest date (UTC)")
    date_max = _date_input("Range: latest date (UTC)")
    scale = forms.ChoiceField(
        required=False,
        choices=Scale.choices,
        initial=Scale.LINEAR,
        help_text="Numeric questions may be log (the lowest value above 0); "
        "dates are linear.",
    )
    open_lower_bound = forms.BooleanField(
        required=False,
        label="Open lower bound",
        help_text="The outcome may fall below the range.",
    )
    open_upper_bound = forms.BooleanField(
        required=False,
        label="Open upper bound",
        help_text="The outcome may fall above the range.",
    )
    unit = forms.CharField(
        required=False,
        max_length=60,
        help_text="Numeric questions only, e.g. tokens or °C.",
    )
    close_time = forms.DateTimeField(
        label="Close time",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"],
        widget=forms.DateTimeInput(
            attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"
        ),
        help_text="Forecasts stop then. The question opens when staff accept it.",
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Comma-separated, e.g. ai, energy."
    )
    source_title = forms.CharField(max_length=200, required=False)
    source_url = forms.URLField(
        label="Source link", required=False, assume_scheme="https", max_length=500
    )

    def clean_options(self) -> list[str]:
        lines = self.cleaned_data["options"].splitlines()
        return [line.strip() for line in lines if line.strip()]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A typed close time is read in the visitor's zone (the tz cookie).
        zone = timezone.get_current_timezone_name()
        self.fields["close_time"].label = f"Close time ({zone})"

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def clean(self):
        cleaned = super().clean()
        dates = {end: cleaned.pop(DATE_ENDS[end], "") for end in ENDS}
        kind = cleaned.get("kind")
        if kind in CONTINUOUS_KINDS:
            cleaned.update(options=[], ordered=False)
            cleaned["scale"] = cleaned.get("scale") or Scale.LINEAR
            if kind == Kind.DATE:
                cleaned.update(dates)
            self._read_range(cleaned, is_date=kind == Kind.DATE)
        elif kind:
            cleaned.update(CATEGORICAL_DEFAULTS)
        return cleaned

    def _read_range(self, cleaned: dict, *, is_date: bool) -> None:
        """Read the range ends as the API does (a date without a zone is UTC)."""
        for end in ENDS:
            raw = (cleaned.get(end) or "").strip()
            try:
                cleaned[end] = (
                    continuous.parse_kind_value(is_date, raw) if raw else None
                )
            except continuous.InvalidValue as error:
                self.add_error(self.field_for(end), str(error))

    def field_for(self, name: str) -> str:
        """Return the input a model field's value came from."""
        if name in DATE_ENDS and self.cleaned_data.get("kind") == Kind.DATE:
            return DATE_ENDS[name]
        return name

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError next to the field it names."""
        for name, messages in error.message_dict.items():
            name = self.field_for(name)
            if name in self.fields:
                self.add_error(name, messages)
            else:
                self.add_error(None, [f"{name}: {m}" for m in messages])


class DeclineForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        help_text="Told to the author, by e-mail and on their profile.",
    )
