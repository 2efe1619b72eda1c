"""Admin forms: a question's (or proposal's) range read as the API reads it."""

from django import forms

from forecasts import continuous
from forecasts.models import Kind

ENDS = ("range_min", "range_max")
RANGE_HELP = (
    "A number; on a date question an ISO 8601 datetime, in UTC unless it "
    "names an offset, e.g. 2027-01-01T00:00:00Z."
)


class RangeAdminForm(forms.ModelForm):
    """Show and take a date question's range ends as ISO datetimes (UTC).

    Stored as POSIX seconds; numeric questions keep plain numbers.
    """

    range_min = forms.CharField(required=False, help_text=RANGE_HELP)
    range_max = forms.CharField(required=False, help_text=RANGE_HELP)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        is_date = self.instance.kind == Kind.DATE
        for end in ENDS:
            value = getattr(self.instance, end)
            if value is not None:
                self.initial[end] = continuous.iso(value) if is_date else str(value)

    def clean(self):
        cleaned = super().clean()
        is_date = cleaned.get("kind") == Kind.DATE
        for end in ENDS:
            if end not in cleaned:
                continue
            if self._unchanged(end):
                # Kept as stored: text made from it may not read back bit for bit.
                cleaned[end] = getattr(self.instance, end)
                continue
            raw = cleaned[end]
            try:
                cleaned[end] = (
                    continuous.parse_kind_value(is_date, raw) if raw else None
                )
            except continuous.InvalidValue as error:
                self.add_error(end, str(error))
        return cleaned

    def _unchanged(self, end: str) -> bool:
        changed = self.changed_data
        return (
            self.instance.pk is not None
            and end not in changed
            and "kind" not in changed
        )
