from django import forms

from forecasts.models import Kind


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
    # Numeric and date questions (issue 12) are created by staff.
    kind = forms.ChoiceField(choices=Kind.choices[:2], initial=Kind.BINARY)
    options = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Multiple choice: one option per line. Binary: leave empty.",
    )
    ordered = forms.BooleanField(
        required=False, help_text="Multiple choice whose options form a scale."
    )
    close_time = forms.DateTimeField(
        label="Close time (UTC)",
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

    def clean_tags(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data["tags"].split(",") if t.strip()]

    def add_service_errors(self, error) -> None:
        """Show a service's ValidationError next to the field it names."""
        for name, messages in error.message_dict.items():
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
