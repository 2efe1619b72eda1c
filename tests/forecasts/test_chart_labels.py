"""Option labels and titles are drawn as typed: a `$` is a dollar, not mathtext."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from forecasts import charts
from forecasts.scoring import calibration
from forecasts.services import submit_forecast
from tests.factories import QuestionFactory

LABELS = [r"$\frac{a}{$", "Between $1 and $2", "Over $2"]
SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def drawn_texts(svg: bytes) -> set[str]:
    """Return the strings the SVG draws (svg.fonttype none keeps them as text).

    The SVG also carries each label in an XML comment, so searching the bytes
    would find a label even when it was drawn as maths.
    """
    root = ET.fromstring(svg)
    return {"".join(node.itertext()).strip() for node in root.iter(SVG_TEXT)}


@pytest.fixture
def dollar_question(db):
    return QuestionFactory(kind="multiple_choice", options=LABELS)


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_community_chart_with_dollar_labels_answers(client, user, dollar_question, fmt):
    submit_forecast(question=dollar_question, user=user, probabilities=[0.2, 0.5, 0.3])
    client.force_login(user)
    url = reverse("forecasts:community_chart", args=[dollar_question.slug, fmt])
    response = client.get(url)
    assert response.status_code == 200


def test_community_chart_draws_labels_literally(client, user, db):
    # Without the unparsable label: a well-formed pair of dollars is the case
    # that used to be drawn silently as maths.
    question = QuestionFactory(
        kind="multiple_choice", options=["Between $1 and $2", "Over $2", "Less"]
    )
    submit_forecast(question=question, user=user, probabilities=[0.2, 0.5, 0.3])
    client.force_login(user)
    url = reverse("forecasts:community_chart", args=[question.slug, "svg"])
    texts = drawn_texts(client.get(url).content)
    # Mathtext would drop the dollars and set "1 and " in italics.
    assert {"Between $1 and $2", "Over $2", "Less"} <= texts


def test_community_chart_draws_the_unparsable_label_literally(
    client, user, dollar_question
):
    submit_forecast(question=dollar_question, user=user, probabilities=[0.2, 0.5, 0.3])
    client.force_login(user)
    url = reverse("forecasts:community_chart", args=[dollar_question.slug, "svg"])
    assert set(LABELS) <= drawn_texts(client.get(url).content)


def test_calibration_title_is_drawn_literally(db):
    table = calibration([0.2, 0.8], [0, 1])
    svg = charts.calibration_chart(table, fmt="svg", title=r"Calibration of $x_{1$")
    assert r"Calibration of $x_{1$" in drawn_texts(svg)
