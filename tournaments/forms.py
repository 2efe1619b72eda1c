"""The tournament page's leaderboard options, sent as a GET form."""

from django import forms

from forecasts.forms import RANKINGS
from forecasts.selectors.scores import LEADERBOARD_ORDER
from tournaments.selectors import DEFAULT_MIN_COVERAGE

# Django formats these messages with %-parameters, so the percent is doubled.
COVERAGE_ERROR = "Enter a fraction from 0 to 1, e.g. 0.5 for 50%%."


class TournamentLeaderboardForm(forms.Form):
    by = forms.ChoiceField(
        label="Rank by",
        required=False,
        choices=[(key, RANKINGS[key]) for key in LEADERBOARD_ORDER],
    )
    min_coverage = forms.DecimalField(
        label="Minimum coverage",
        required=False,
        min_value=0,
        max_value=1,
        decimal_places=4,
        help_text="A fraction of the resolved questions, 0 to 1: 0.5 is 50%.",
        error_messages={
            "invalid": COVERAGE_ERROR,
            "min_value": COVERAGE_ERROR,
            "max_value": COVERAGE_ERROR,
        },
        widget=forms.NumberInput(attrs={"step": "0.05", "min": "0", "max": "1"}),
    )

    def choices(self) -> dict:
        """Return the chosen ranking and minimum coverage, defaults filled in."""
        data = self.cleaned_data
        coverage = data.get("min_coverage")
        return {
            "by": data.get("by") or "brier",
            "min_coverage": DEFAULT_MIN_COVERAGE
            if coverage is None
            else float(coverage),
        }
