"""The forecast form on the question page: percent in, exact ledger entries out."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from forecasts.forms import equal_split, normalise
from forecasts.models import Entry
from forecasts.services import resolve_question, submit_forecast


def page(question):
    return reverse("forecasts:question", args=[question.slug])


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def test_binary_forecast_in_percent_is_stored_as_an_exact_fraction(
    logged_in, user, binary_question
):
    response = logged_in.post(
        page(binary_question), {"probability": "72.5", "rationale": "Base rates."}
    )
    assert response.status_code == 302
    entry = Entry.objects.get(question=binary_question, user=user)
    assert entry.probabilities_bp == [2750, 7250]
    assert entry.rationale == "Base rates."
    followed = logged_in.get(response.url)
    assert "Forecast saved as entry #1." in followed.content.decode()


def test_updating_a_forecast_appends_a_second_entry_shown_in_the_ledger(
    logged_in, user, binary_question
):
    logged_in.post(page(binary_question), {"probability": "72"})
    logged_in.post(page(binary_question), {"probability": "65"})
    html = logged_in.get(page(binary_question)).content.decode()
    ledger = html.split('id="ledger-table"')[1].split("</table>")[0]
    assert ledger.index("65%") < ledger.index("72%")  # newest first
    hashes = Entry.objects.filter(user=user).values_list("hash", flat=True)
    assert all(h[:12] in ledger for h in hashes)
    assert 'value="65"' in html  # the form starts from the standing forecast


@pytest.mark.parametrize(
    "value, message",
    [
        ("150", "Enter a percentage from 0.1 to 99.9."),
        ("0", "Enter a percentage from 0.1 to 99.9."),
        ("72.125", "Use at most 2 decimal places"),
        ("seventy", "Enter a percentage from 0.1 to 99.9."),
        ("", "Enter a percentage."),
    ],
)
def test_bad_percentage_shows_an_error_next_to_the_field_and_keeps_the_input(
    logged_in, binary_question, value, message
):
    response = logged_in.post(
        page(binary_question), {"probability": value, "rationale": "kept text"}
    )
    html = response.content.decode()
    assert response.status_code == 400
    # The error sits between the percentage box and the rationale field.
    field = html.split('id="id_probability"')[1].split('id="id_rationale"')[0]
    assert 'class="errorlist' in field and message in field
    box = re.search(r'<input[^>]*id="id_probability"[^>]*>', html).group()
    assert (f'value="{value}"' in box) if value else ("value=" not in box)
    assert "kept text" in html
    assert not Entry.objects.exists()


def test_closed_question_shows_why_and_refuses_a_post(logged_in, closed_question):
    html = logged_in.get(page(closed_question)).content.decode()
    assert "This question has closed; it accepts no more forecasts." in html
    assert 'id="forecast-form"' not in html
    logged_in.post(page(closed_question), {"probability": "50"})
    assert not Entry.objects.exists()


def test_anonymous_visitor_is_sent_to_log_in(client, binary_question):
    html = client.get(page(binary_question)).content.decode()
    assert "to forecast" in html and 'id="forecast-form"' not in html
    response = client.post(page(binary_question), {"probability": "50"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Entry.objects.exists()


def mc_data(*values, action="forecast"):
    data = {f"option_{i}": v for i, v in enumerate(values)}
    return {**data, "rationale": "", "action": action}


def test_multiple_choice_forecast_is_stored_per_option(logged_in, user, mc_question):
    response = logged_in.post(page(mc_question), mc_data("20", "50.5", "29.5"))
    assert response.status_code == 302
    entry = Entry.objects.get(user=user)
    assert entry.probabilities_bp == [2000, 5050, 2950]


def test_multiple_choice_not_adding_to_100_is_refused_with_the_total(
    logged_in, mc_question
):
    response = logged_in.post(page(mc_question), mc_data("20", "50", "20"))
    html = response.content.decode()
    assert "The percentages add up to 90%; they must add up to 100%." in html
    total = html.split('id="total"')[1].split("</output>")[0]
    assert total.endswith(">90")
    assert 'value="50"' in html  # what was typed stays
    assert not Entry.objects.exists()


def test_normalise_button_scales_to_100_without_saving(logged_in, mc_question):
    response = logged_in.post(
        page(mc_question), mc_data("10", "10", "20", action="normalise")
    )
    html = response.content.decode()
    assert 'name="option_0" value="25"' in html
    assert 'name="option_2" value="50"' in html
    assert not Entry.objects.exists()


def test_normalise_rounds_by_largest_remainder_ties_to_the_earlier_option():
    # 40/35/15/5 sum to 95: shares 42.105…, 36.842…, 15.789…, 5.263…; rounded
    # down they make 99.98 and the two hundredths go to the largest remainders
    # (.789… and .105…). 5/5/10/45 sum to 65: 7.692…, 7.692…, 15.384…, 69.230…
    # make 99.99 and the hundredth goes to .384…. 1/1/1: three remainders tie
    # at .333… and the earliest option takes the hundredth.
    cases = {
        ("40", "35", "15", "5"): ["42.11", "36.84", "15.79", "5.26"],
        ("5", "5", "10", "45"): ["7.69", "7.69", "15.39", "69.23"],
        ("1", "1", "1"): ["33.34", "33.33", "33.33"],
    }
    for typed, expected in cases.items():
        result = normalise([Decimal(v) for v in typed])
        assert result == [Decimal(v) for v in expected]


def test_normalised_values_sum_to_exactly_100_within_bounds():
    for values in (["1", "1", "1"], ["99", "99", "0.1"], ["0.1"] * 7, ["33", "1"]):
        result = normalise([Decimal(v) for v in values])
        assert sum(result) == 100
        assert all(Decimal("0.1") <= p <= Decimal("99.9") for p in result)
    assert equal_split(3) == [Decimal("33.33"), Decimal("33.33"), Decimal("33.34")]


def test_multiple_choice_form_starts_equal_or_from_standing(
    logged_in, user, mc_question
):
    html = logged_in.get(page(mc_question)).content.decode()
    assert 'value="33.33"' in html and 'value="33.34"' in html
    submit_forecast(question=mc_question, user=user, probabilities=[0.1, 0.3, 0.6])
    html = logged_in.get(page(mc_question)).content.decode()
    assert 'name="option_2" value="60"' in html


def test_binary_form_has_a_number_box_and_a_slider_for_scripts(
    logged_in, binary_question
):
    html = logged_in.get(page(binary_question)).content.decode()
    assert re.search(r'<input type="number" name="probability"[^>]*min="0.1"', html)
    # Hidden until site.js syncs it with the box, so the form works without it.
    assert re.search(r'<input type="range" id="probability-slider"[^>]*hidden', html)
    assert "forecasts/site.js" in html


def test_multiple_choice_form_shows_the_running_total_and_normalise(
    logged_in, mc_question
):
    html = logged_in.get(page(mc_question)).content.decode()
    assert re.search(r'id="total"[^>]*>100<', html)
    assert 'id="normalise"' in html
    assert [f'id="id_option_{i}"' in html for i in range(3)] == [True] * 3


def test_binary_box_starts_at_50_or_at_the_standing_forecast(
    logged_in, user, binary_question
):
    # The slider starts at 50; the box must agree, or saving at once fails.
    html = logged_in.get(page(binary_question)).content.decode()
    box = re.search(r'<input[^>]*id="id_probability"[^>]*>', html).group()
    assert 'value="50"' in box
    submit_forecast(question=binary_question, user=user, probability=0.725)
    html = logged_in.get(page(binary_question)).content.decode()
    box = re.search(r'<input[^>]*id="id_probability"[^>]*>', html).group()
    assert 'value="72.5"' in box


@pytest.mark.parametrize(
    ("odds", "stored_bp"),
    [
        ("3:1", 7500),  # 3 / (3 + 1) = 0.75
        ("1 to 3", 2500),  # 1 / (1 + 3) = 0.25
        ("1 in 8", 1250),  # 1 / 8 = 0.125
        ("2 in 3", 6667),  # 2 / 3 = 66.666…% -> 66.67%
    ],
)
def test_binary_forecast_may_be_typed_as_odds(
    logged_in, user, binary_question, odds, stored_bp
):
    response = logged_in.post(
        page(binary_question), {"probability": "50", "odds": odds}
    )
    assert response.status_code == 302
    assert Entry.objects.get(user=user).p_yes_bp == stored_bp


@pytest.mark.parametrize(
    ("odds", "message"),
    [
        ("three to one", "Enter odds as 3:1, 3 to 1 or 1 in 8."),
        ("9 in 8", "Enter odds as 3:1, 3 to 1 or 1 in 8."),
        ("1 in 5000", "These odds are 0.02%; give odds from 0.1% to 99.9%."),
    ],
)
def test_bad_odds_get_an_error_next_to_the_odds_box(
    logged_in, binary_question, odds, message
):
    response = logged_in.post(page(binary_question), {"probability": "", "odds": odds})
    html = response.content.decode()
    assert response.status_code == 400
    field = html.split('id="id_odds"')[1].split('id="id_rationale"')[0]
    assert message in field
    assert not Entry.objects.exists()


def test_resolved_question_does_not_invite_an_update(
    logged_in, user, mc_question, staff
):
    submit_forecast(question=mc_question, user=user, probabilities=[0.2, 0.3, 0.5])
    resolve_question(question=mc_question, user=staff, outcome=1)
    html = logged_in.get(page(mc_question)).content.decode()
    assert "Update your forecast" not in html
