"""Times show in the visitor's time zone, with UTC a hover away."""

from datetime import UTC, datetime

from tests.factories import QuestionFactory


def test_question_page_shows_times_in_the_visitors_zone_with_utc_noted(page):
    # The page fixture's browser is in Europe/Berlin: UTC+2 in July.
    question = QuestionFactory(close_time=datetime(2030, 7, 15, 12, 0, tzinfo=UTC))
    page.goto(f"/questions/{question.slug}/")

    for closes in [
        page.locator(".q-meta time"),
        page.locator("#criteria dt:text('Closes') + dd time"),
    ]:
        assert closes.inner_text() == "15 Jul 2030, 14:00 CEST"
        assert closes.get_attribute("title") == "2030-07-15 12:00 UTC"
    footer = page.text_content(".site-footer")
    assert "Times are shown in your time zone (Europe/Berlin)" in footer
    assert "hover over a time to see it in UTC" in footer
