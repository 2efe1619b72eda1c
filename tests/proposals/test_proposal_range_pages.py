"""Proposing a numeric or date question from the page, and staff publishing it."""

from datetime import UTC, datetime

import pytest

from forecasts.models import Question
from proposals.models import Proposal
from tests.proposals.test_proposal_pages import form_data


def numeric_data(**overrides) -> dict:
    data = {
        "title": "How many tokens will the largest context window hold?",
        "kind": "numeric",
        "range_min": "1000",
        "range_max": "16777216",
        "scale": "log",
        "open_upper_bound": "on",
        "unit": "tokens",
    }
    return form_data(**(data | overrides))


def date_data(**overrides) -> dict:
    data = {
        "title": "When will the bridge reopen?",
        "kind": "date",
        "date_min": "2027-01-01T00:00",
        "date_max": "2027-06-30T12:30",
        "scale": "linear",
    }
    return form_data(**(data | overrides))


def field_html(response, name: str) -> str:
    """Return the page from the field's input on: its error and help follow it."""
    html = response.content.decode()
    return html[html.index(f'name="{name}"') :][:700]


def test_a_numeric_log_question_with_an_open_upper_bound_is_proposed(client, user):
    client.force_login(user)
    data = numeric_data(options="Ignored\nToo", ordered="on", date_min="2027-01-01")
    response = client.post("/proposals/new/", data)
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.kind, proposal.range_min, proposal.range_max) == (
        "numeric",
        1000.0,
        16777216.0,
    )
    assert (proposal.scale, proposal.unit) == ("log", "tokens")
    assert (proposal.open_lower_bound, proposal.open_upper_bound) == (False, True)
    assert (proposal.options, proposal.ordered) == ([], False)
    page = client.get(response["Location"]).content.decode()
    assert "1K – 16.8M tokens; the outcome may fall above it" in page
    assert 'id="proposal-scale">Log<' in page


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"range_min": "500", "range_max": "500"}, "range_max", "Must be above"),
        ({"range_min": "0"}, "range_min", "A log scale needs range_min above 0."),
        ({"range_max": "lots"}, "range_max", "Enter a number."),
        ({"range_min": ""}, "range_min", "Give the lower end of the range."),
    ],
)
def test_a_bad_numeric_range_is_refused_next_to_its_field(
    client, user, overrides, field, message
):
    client.force_login(user)
    response = client.post("/proposals/new/", numeric_data(**overrides))
    assert response.status_code == 400
    assert message in field_html(response, field)
    assert not Proposal.objects.exists()
    kept = numeric_data(**overrides)["range_max"]
    assert f'value="{kept}"' in field_html(response, "range_max")


def test_a_bad_date_range_is_refused_next_to_the_date_input(client, user):
    client.force_login(user)
    data = date_data(date_max="2026-12-31T00:00")
    response = client.post("/proposals/new/", data)
    assert response.status_code == 400
    assert "Must be above range_min." in field_html(response, "date_max")
    assert 'value="2026-12-31T00:00"' in field_html(response, "date_max")
    assert not Proposal.objects.exists()


def test_a_date_question_is_linear_and_without_unit_on_the_page_too(client, user):
    client.force_login(user)
    response = client.post("/proposals/new/", date_data(scale="log", unit="days"))
    assert response.status_code == 400
    assert "A date question&#x27;s scale is linear." in field_html(response, "scale")
    assert "A date question has no unit." in field_html(response, "unit")
    assert not Proposal.objects.exists()


def test_date_inputs_are_read_as_utc_whatever_the_visitors_zone(client, user):
    client.force_login(user)
    client.cookies["tz"] = "America/New_York"
    data = date_data(range_min="5", range_max="nonsense")
    assert client.post("/proposals/new/", data).status_code == 302
    proposal = Proposal.objects.get()
    assert proposal.range_min == datetime(2027, 1, 1, tzinfo=UTC).timestamp()
    assert proposal.range_max == datetime(2027, 6, 30, 12, 30, tzinfo=UTC).timestamp()
    assert (proposal.kind, proposal.unit) == ("date", "")


def test_a_categorical_proposal_ignores_the_range_fields(client, user):
    client.force_login(user)
    data = form_data(
        range_min="1",
        range_max="x",
        date_min="2027-01-01T00:00",
        scale="log",
        open_lower_bound="on",
        unit="tokens",
    )
    assert client.post("/proposals/new/", data).status_code == 302
    proposal = Proposal.objects.get()
    assert (proposal.range_min, proposal.range_max, proposal.scale) == (
        None,
        None,
        "linear",
    )
    assert (proposal.open_lower_bound, proposal.unit) == (False, "")


def test_the_form_offers_every_kind_and_date_inputs_without_script(client, user):
    client.force_login(user)
    html = client.get("/proposals/new/").content.decode()
    for kind in ("binary", "multiple_choice", "numeric", "date"):
        assert f'value="{kind}"' in html
    assert 'type="datetime-local" name="date_min"' in html
    assert "in UTC" in field_html(client.get("/proposals/new/"), "date_min")
    form = html[html.index('id="proposal-form"') : html.index("</form>")]
    assert "<script" not in form


@pytest.mark.parametrize("kind", ["numeric", "date"])
def test_staff_accept_a_page_proposal_and_the_question_carries_its_range(
    client, user, staff, kind
):
    client.force_login(user)
    data = numeric_data() if kind == "numeric" else date_data(open_lower_bound="on")
    client.post("/proposals/new/", data)
    proposal = Proposal.objects.get()
    client.force_login(staff)
    response = client.post(f"/proposals/{proposal.pk}/accept/")
    assert response.status_code == 302
    question = Question.objects.get()
    fields = ("kind", "range_min", "range_max", "scale", "unit")
    bounds = ("open_lower_bound", "open_upper_bound")
    assert [getattr(question, f) for f in fields + bounds] == [
        getattr(proposal, f) for f in fields + bounds
    ]
    assert question.range_min is not None and question.is_continuous
    assert client.get(response["Location"]).status_code == 200


def test_staff_see_and_edit_a_date_proposals_range_in_iso_in_the_admin(
    client, user, staff
):
    client.force_login(user)
    client.post("/proposals/new/", date_data())
    proposal = Proposal.objects.get()
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    url = f"/admin/proposals/proposal/{proposal.pk}/change/"
    page = client.get(url).content.decode()
    assert 'value="2027-01-01T00:00:00Z"' in page
    assert 'value="2027-06-30T12:30:00Z"' in page
    data = {
        "slug": proposal.slug,
        "title": proposal.title,
        "body": proposal.body,
        "resolution_criteria": proposal.resolution_criteria,
        "tags": "[]",
        "kind": "date",
        "scale": "linear",
        "options": "[]",
        "range_min": "2027-01-01T00:00:00Z",
        "range_max": "2027-12-31",
        "close_time_0": "2030-01-01",
        "close_time_1": "00:00:00",
    }
    assert client.post(url, data).status_code == 302
    stored = Proposal.objects.get()
    assert stored.range_max == datetime(2027, 12, 31, tzinfo=UTC).timestamp()
