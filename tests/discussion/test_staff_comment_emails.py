"""A staff comment e-mails the question's forecasters, as their settings allow."""

import pytest

from discussion.emails import notify_staff_comment
from discussion.services import post_comment
from forecasts.models import NotificationSettings
from forecasts.services import submit_forecast
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.core


@pytest.fixture
def forecasters(binary_question):
    ann, bob, cid = (UserFactory(username=n) for n in ("ann", "bob", "cid"))
    for person in (ann, bob):
        submit_forecast(question=binary_question, user=person, probability=0.4)
    NotificationSettings.objects.create(user=bob, resolution_emails=False)
    return ann, bob, cid


def comment(question, author, capture, body="Criteria clarified: see above."):
    with capture(execute=True):
        return post_comment(question=question, author=author, body=body)


def test_a_staff_comment_emails_forecasters_who_want_resolution_emails(
    binary_question, forecasters, staff, mailoutbox, django_capture_on_commit_callbacks
):
    comment(binary_question, staff, django_capture_on_commit_callbacks)
    # ann forecast and wants e-mails; bob opted out; cid never forecast.
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]
    message = mailoutbox[0]
    assert binary_question.title in message.subject
    assert "Criteria clarified: see above." in message.body
    assert "List-Unsubscribe" in message.extra_headers


def test_a_forecaster_commenting_emails_nobody(
    binary_question, forecasters, mailoutbox, django_capture_on_commit_callbacks
):
    comment(binary_question, forecasters[2], django_capture_on_commit_callbacks)
    assert mailoutbox == []


def test_a_staff_forecaster_is_not_emailed_about_their_own_comment(
    binary_question, forecasters, mailoutbox, django_capture_on_commit_callbacks
):
    forecaster_staff = StaffFactory()
    submit_forecast(question=binary_question, user=forecaster_staff, probability=0.5)
    comment(binary_question, forecaster_staff, django_capture_on_commit_callbacks)
    assert [m.to for m in mailoutbox] == [["ann@example.com"]]


def test_a_redelivered_task_sends_no_second_email(
    binary_question, forecasters, staff, mailoutbox, django_capture_on_commit_callbacks
):
    posted = comment(binary_question, staff, django_capture_on_commit_callbacks)
    assert notify_staff_comment(comment_id=posted.pk) == 0
    assert len(mailoutbox) == 1
