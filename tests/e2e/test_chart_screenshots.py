"""Every chart at 1, 2, 25 and 10,000 forecasters, as a visitor sees it.

Each chart image must load and no page may be wider than the screen. The
images land in test-artifacts/charts/ for a person to look at: a chart that
does not read at some size is found by looking, not by a pixel count.
Forecasters and entries are written in bulk, as the benchmarks write them.
The numeric and date charts have no page yet: they are drawn from generated
CDFs and shown to the browser as images of a bare page.
"""

import base64
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from django.urls import reverse
from django.utils import timezone

from bench import data
from forecasts import charts
from forecasts.scoring.continuous import ContinuousAxis, cdf_floats
from forecasts.scoring.continuous_calibration import pit_calibration, pit_values
from forecasts.scoring.continuous_community import continuous_community
from forecasts.scoring.continuous_inputs import cdf_from_components
from forecasts.services import extend_community_series, score_resolution
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.steps import loaded_image, log_in
from tests.factories import UserFactory

SIZES = [1, 2, 25, 10_000]
OPTIONS = ["Before 2026", "2026", "2027", "Later"]


def build_site(n: int, viewer) -> dict:
    """Resolved and open questions of both kinds, forecast by n forecasters
    (the viewer among them); the resolved ones scored."""
    rng = np.random.default_rng(n)
    now = timezone.now().replace(microsecond=0)
    users = np.array([viewer.pk, *data.make_forecasters(n - 1, prefix=f"c{n}-")])
    staff = data.staff_user()
    slugs = {}
    for name, options in (("binary", None), ("multiple", OPTIONS)):
        for state in ("open", "resolved"):
            question = _question(f"{name}-{state}-{n}", state, options, now)
            data.random_ledger(rng, question, users, 1, until=now)
            extend_community_series(
                question=question, until=min(now, question.close_time)
            )
            if state == "resolved":
                event = data.resolve(
                    question, outcome=1, effective_at=question.close_time, by=staff
                )
                assert score_resolution(resolution_id=event.pk)
            slugs[f"{name}-{state}"] = question.slug
    return slugs


def _question(slug: str, state: str, options, now):
    if state == "open":
        open_time, close_time = now - timedelta(days=3), now + timedelta(days=30)
    else:
        open_time, close_time = now - timedelta(days=40), now - timedelta(days=2)
    return data.make_question(
        slug, open_time=open_time, close_time=close_time, options=options
    )


def look_at(page, url: str, selector: str, name: str) -> None:
    page.goto(url)
    response = loaded_image(page, selector)
    assert response.status == 200, f"{name}: {response.status}"
    width = page.eval_on_selector(selector, "img => img.naturalWidth")
    assert width > 0, f"{name} did not load"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name}: the page is {overflow}px wider than the screen"
    page.locator(selector).screenshot(path=str(ARTIFACTS / "charts" / f"{name}.png"))


@pytest.mark.parametrize("n", SIZES)
def test_every_chart_reads_at_every_size(page, live_server, transactional_db, n):
    (ARTIFACTS / "charts").mkdir(parents=True, exist_ok=True)
    viewer = UserFactory(username=f"viewer{n}")
    slugs = build_site(n, viewer)
    log_in(page, viewer)
    for name, slug in slugs.items():
        url = reverse("forecasts:question", args=[slug])
        look_at(page, url, "#community-chart", f"community-{name}-{n}")
    profile = reverse("forecasts:profile", args=[viewer.username])
    look_at(page, profile, "#brier-chart", f"brier-{n}")
    look_at(page, profile, "#calibration-chart", f"profile-calibration-{n}")
    calibration = reverse("forecasts:calibration")
    look_at(page, calibration, "#calibration-chart", f"calibration-{n}")


TOKENS = ContinuousAxis(32768, 16777216, log=True, open_lower=True, open_upper=True)
RELEASE = ContinuousAxis(
    datetime(2025, 2, 26, tzinfo=UTC).timestamp(),
    datetime(2028, 1, 1, tzinfo=UTC).timestamp(),
    open_upper=True,
)


def forecasters_cdfs(rng, axis: ContinuousAxis, n: int) -> np.ndarray:
    """n forecasters' CDFs, one logistic each around a shared belief."""
    centres = axis.from_unit(np.clip(rng.normal(0.45, 0.12, n), 0.02, 0.98))
    spreads = rng.uniform(0.03, 0.15, n)
    rows = [
        cdf_floats(cdf_from_components([{"center": c, "spread": s, "weight": 1}], axis))
        for c, s in zip(centres.tolist(), spreads.tolist(), strict=True)
    ]
    return np.array(rows)


def continuous_images(n: int) -> dict[str, bytes]:
    """The density, history and PIT charts of n forecasters, as PNG."""
    rng = np.random.default_rng(n)
    images = {}
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for name, axis, dates, unit in (
        ("tokens", TOKENS, False, "tokens"),
        ("release", RELEASE, True, ""),
    ):
        cdfs = forecasters_cdfs(rng, axis, n)
        community = continuous_community(cdfs)
        outcome = float(axis.from_unit(0.5))
        style = {"dates": dates, "unit": unit, "fmt": "png"}
        images[f"density-{name}"] = charts.density_chart(
            axis, community, own=cdfs[0], outcome=outcome, **style
        )
        steps = min(n, 30)
        times = [start + timedelta(hours=12 * i) for i in range(steps)]
        history = [
            continuous_community(cdfs[: i * n // steps + 1]) for i in range(steps)
        ]
        images[f"history-{name}"] = charts.history_chart(
            axis, times, history, until=times[-1] + timedelta(days=2), **style
        )
    pits = pit_values(cdfs, np.full(n, 0.5))
    images["pit"] = charts.pit_chart(pit_calibration(pits), fmt="png")
    return images


@pytest.mark.parametrize("n", SIZES)
def test_numeric_and_date_charts_read_at_every_size(page, n):
    (ARTIFACTS / "charts").mkdir(parents=True, exist_ok=True)
    images = continuous_images(n)
    tags = "".join(
        f'<img id="{name}" alt="{name}" src="data:image/png;base64,'
        f'{base64.b64encode(png).decode()}">'
        for name, png in images.items()
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    page.set_content(f"<!doctype html><body>{tags}</body>")
    for name, png in images.items():
        selector = f"#{name}"
        page.wait_for_function(
            "img => img.complete", arg=page.locator(selector).element_handle()
        )
        width = page.eval_on_selector(selector, "img => img.naturalWidth")
        assert width > 0, f"{name} did not load"
        (ARTIFACTS / "charts" / f"{name}-{n}.png").write_bytes(png)
