"""Charts drawn with matplotlib (Agg) from data a selector hands over.

Nothing here queries the database. Every chart is cached under a digest of the
data it shows (and the zone its times are shown in), so new data shows at once
and an unchanged chart is not redrawn.
"""

from forecasts.charts.community import community_chart
from forecasts.charts.continuous import density_chart, history_chart, pit_chart
from forecasts.charts.scores import brier_over_time_chart, calibration_chart
from forecasts.charts.style import FORMATS

__all__ = [
    "FORMATS",
    "brier_over_time_chart",
    "calibration_chart",
    "community_chart",
    "density_chart",
    "history_chart",
    "pit_chart",
]
