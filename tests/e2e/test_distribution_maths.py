"""The distribution scripts on a page that follows the editor's contract, no question.

The page (tests/e2e/fixtures/distribution.html) carries what the question page
carries: the form, the percentile boxes, the hidden components input and the
JSON data. It is served with the site's Content-Security-Policy so that a
style or script the policy refuses shows up as a violation.
"""

import json
from datetime import date, datetime
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from axe_playwright_python.sync_playwright import Axe

from forecasts.scoring.continuous import ContinuousAxis
from forecasts.scoring.continuous_inputs import cdf_from_components
from tests.e2e.test_pages_at_widths import WIDTHS, check, open_page

FIXTURE = Path(__file__).parent / "fixtures" / "distribution.html"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'"
)
TOKENS = {
    "kind": "numeric",
    "scale": "log",
    "range_min": 32768,
    "range_max": 16777216,
    "open_lower": True,
    "open_upper": True,
    "unit": "tokens",
    "community_cdf": None,
    "my_cdf": None,
    "my_components": None,
}
# 2025-02-26T00:00Z to 2028-01-01T00:00Z, the R2 release-date seed's range.
RELEASE = {
    **TOKENS,
    "kind": "date",
    "scale": "linear",
    "range_min": 1740528000,
    "range_max": 1830297600,
    "open_lower": False,
    "unit": "",
}


def open_fixture(page, data, boxes=("", "", ""), components="", kind="text"):
    """Serve the fixture page with this data at /fixture/distribution/ and open it."""
    html = FIXTURE.read_text()
    for name, value in zip(("__P10__", "__P50__", "__P90__"), boxes, strict=True):
        html = html.replace(name, escape(value))
    html = html.replace("__INPUT__", kind).replace("__COMPONENTS__", escape(components))
    html = html.replace("__DATA__", json.dumps(data).replace("<", "\\u003c"))
    headers = {"Content-Type": "text/html", "Content-Security-Policy": CSP}
    page.route(
        "**/fixture/distribution/",
        lambda route: route.fulfill(status=200, headers=headers, body=html),
    )
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" else None,
    )
    page.goto("/fixture/distribution/")
    page.wait_for_selector("#dist-svg")
    return errors


def axis_of(data) -> ContinuousAxis:
    return ContinuousAxis(
        data["range_min"],
        data["range_max"],
        log=data["scale"] == "log",
        open_lower=data["open_lower"],
        open_upper=data["open_upper"],
    )


def js_cdf(page, data, components):
    return page.evaluate(
        """([data, components]) => {
          const D = window.ForecastLedgerDistribution;
          return D.cdfFromComponents(components, D.makeAxis(data));
        }""",
        [data, components],
    )


BOUNDS = [(False, False), (True, False), (False, True), (True, True)]


@pytest.mark.parametrize("open_lower,open_upper", BOUNDS)
@pytest.mark.parametrize("scale", ["linear", "log"])
def test_js_cdf_of_components_matches_the_servers(page, scale, open_lower, open_upper):
    data = {**TOKENS, "scale": scale, "open_lower": open_lower}
    data["open_upper"] = open_upper
    axis = axis_of(data)
    open_fixture(page, data)
    rng = np.random.default_rng(12)
    cases = [
        # One wide component in the middle, one sharp one near the top.
        [{"center": float(axis.from_unit(0.5)), "spread": 0.2, "weight": 1}],
        [{"center": float(axis.from_unit(0.97)), "spread": 0.004, "weight": 1}],
        # Centres beyond the range, extreme spreads, three components.
        [
            {"center": float(axis.from_unit(-0.4)), "spread": 0.05, "weight": 3},
            {"center": float(axis.from_unit(1.3)), "spread": 2.5, "weight": 0.2},
            {"center": float(axis.from_unit(0.1)), "spread": 1e-6, "weight": 1},
        ],
    ]
    for _ in range(6):
        n = int(rng.integers(1, 4))
        cases.append(
            [
                {
                    "center": float(axis.from_unit(rng.uniform(-0.3, 1.3))),
                    "spread": float(10 ** rng.uniform(-3, 0.3)),
                    "weight": float(rng.uniform(0.1, 5)),
                }
                for _ in range(n)
            ]
        )
    for components in cases:
        python = cdf_from_components(components, axis) / 1e6
        javascript = np.asarray(js_cdf(page, data, components)) / 1e6
        assert javascript.shape == (201,)
        assert np.abs(javascript - python).max() <= 1e-4, components


def test_sliders_write_components_the_server_turns_into_the_drawn_cdf(page):
    errors = open_fixture(page, TOKENS)
    assert page.locator("#distribution-editor").is_visible()
    center = page.locator("#component-0-center")
    center.focus()
    for _ in range(40):
        page.keyboard.press("ArrowRight")
    page.locator("#component-0-spread").fill("30")

    components = json.loads(page.input_value("input[name=components]"))
    assert len(components) == 1
    # The boxes show the quantiles of the very CDF the server will store.
    axis = axis_of(TOKENS)
    cdf = cdf_from_components(components, axis) / 1e6
    _, (x10, x50, x90) = _quantiles(cdf, axis)
    boxes = [float(page.input_value(f"input[name={n}]")) for n in ("p10", "p50", "p90")]
    assert boxes == pytest.approx([x10, x50, x90], rel=1e-5)
    assert x10 < x50 < x90
    summary = page.text_content("#dist-summary")
    assert summary.startswith("Median ") and "tokens" in summary
    assert errors == []


def _quantiles(cdf, axis):
    from forecasts.scoring.continuous import cdf_quantiles

    return cdf_quantiles(cdf, axis, (0.1, 0.5, 0.9))


def test_typing_percentiles_clears_components_and_redraws(page):
    errors = open_fixture(page, TOKENS)
    assert page.input_value("input[name=components]") != ""
    mine = page.get_attribute("#dist-mine", "d")
    page.fill("input[name=p10]", "100000")
    page.fill("input[name=p50]", "200000")
    page.fill("input[name=p90]", "1000000")
    assert page.input_value("input[name=components]") == ""
    assert page.get_attribute("#dist-mine", "d") != mine
    assert page.text_content("#dist-summary") == (
        "Median 200K tokens; 80% interval 100K to 1M tokens."
    )
    # Moving a slider again hands saving back to the sliders.
    page.locator("#component-0-spread").fill("10")
    assert page.input_value("input[name=components]") != ""
    assert page.input_value("input[name=p50]") != "200000"
    assert errors == []


def test_boxes_filled_by_the_server_are_kept_and_drawn(page):
    open_fixture(page, TOKENS, boxes=("50000", "131072", "500000"))
    assert page.input_value("input[name=components]") == ""
    assert page.input_value("input[name=p50]") == "131072"
    assert page.text_content("#dist-summary").startswith("Median 131K tokens")


def test_dates_show_as_dates_and_components_start_at_the_community_median(page):
    # A community CDF rising evenly over the middle half: median at u = 0.5.
    community = [min(1.0, max(0.0, (i / 200 - 0.25) * 2)) for i in range(201)]
    data = {**RELEASE, "community_cdf": community}
    open_fixture(page, data, kind="date")
    components = json.loads(page.input_value("input[name=components]"))
    # u = 0.5 is 2026-07-30T12:00:00Z.
    assert components[0]["center"] == "2026-07-30T12:00:00Z"
    axis = axis_of(data)
    center = {**components[0], "center": axis.from_unit(0.5)}
    cdf = cdf_from_components([center], axis) / 1e6
    _, (_, x50, _) = _quantiles(cdf, axis)
    # Boxes and summary read dates in the visitor's zone: the page fixture's.
    day = datetime.fromtimestamp(x50, tz=ZoneInfo("Europe/Berlin"))
    # The open upper bound keeps the tail's mass: the median is past the centre.
    assert day.date() > date(2026, 7, 30)
    assert page.input_value("input[name=p50]") == day.strftime("%Y-%m-%d")
    summary = page.text_content("#dist-summary")
    assert summary.startswith(f"Median {day.day} {day:%b %Y}; 80% interval ")
    assert page.locator("#dist-community").count() == 1
    assert "Community" in page.text_content(".dist-legend")


def test_up_to_three_components_can_be_added_and_removed(page):
    open_fixture(page, TOKENS)
    page.click("#dist-add")
    page.click("#dist-add")
    assert page.locator(".dist-component").count() == 3
    assert page.locator("#dist-add").is_hidden()
    assert len(json.loads(page.input_value("input[name=components]"))) == 3
    assert page.get_attribute("#component-2-weight", "aria-valuetext").endswith(
        "% of the forecast"
    )
    page.click("#component-1-remove")
    assert page.locator(".dist-component").count() == 2
    assert len(json.loads(page.input_value("input[name=components]"))) == 2
    assert page.locator("#dist-add").is_visible()


def test_my_components_are_where_the_editor_starts(page):
    mine = [
        {"center": 131072, "spread": 0.05, "weight": 2},
        {"center": 1048576, "spread": 0.1, "weight": 1},
    ]
    open_fixture(page, {**TOKENS, "my_components": mine})
    written = json.loads(page.input_value("input[name=components]"))
    assert [c["center"] for c in written] == [131072, 1048576]
    assert [c["spread"] for c in written] == [0.05, 0.1]
    assert written[0]["weight"] == 2 * written[1]["weight"]


@pytest.mark.parametrize("width_name", list(WIDTHS))
def test_the_editor_fits_the_screen_and_passes_axe(browser, live_server, width_name):
    community = [min(1.0, max(0.0, (i / 200 - 0.2) * 1.5)) for i in range(201)]
    context, page = open_page(browser, live_server, WIDTHS[width_name])
    try:
        open_fixture(page, {**RELEASE, "community_cdf": community}, kind="date")
        page.click("#dist-add")
        problems = check(page, "distribution-editor", width_name, Axe())
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


def test_boxes_holding_the_standing_components_quantiles_keep_the_sliders(page):
    mine = [{"center": 131072, "spread": 0.05, "weight": 1}]
    axis = axis_of(TOKENS)
    _, xs = _quantiles(cdf_from_components(mine, axis) / 1e6, axis)
    # The server prefills the boxes from the standing forecast: six figures.
    boxes = tuple(f"{float(f'{x:.6g}')}" for x in xs)
    open_fixture(page, {**TOKENS, "my_components": mine}, boxes=boxes)
    (written,) = json.loads(page.input_value("input[name=components]"))
    assert (written["center"], written["spread"]) == (131072, 0.05)


def test_typed_boxes_kept_after_an_error_decide_even_with_components(page):
    mine = [{"center": 131072, "spread": 0.05, "weight": 1}]
    boxes = ("40000", "300000", "2000000")
    open_fixture(page, {**TOKENS, "my_components": mine}, boxes=boxes)
    assert page.input_value("input[name=components]") == ""
    assert page.input_value("input[name=p50]") == "300000"
    assert page.text_content("#dist-summary").startswith("Median 300K tokens")
