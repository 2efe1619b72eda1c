"""Build the e-mails: text from templates, absolute links, unsubscribe headers."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from forecasts import continuous
from forecasts.ledger import BP
from forecasts.models import Question, ResolutionEvent, Score, Standing
from forecasts.notifications.tokens import unsubscribe_token
from forecasts.templatetags.ledger import resolution_text


def absolute(path: str) -> str:
    """Return the site's address for path: e-mails have no request to go by."""
    return settings.SITE_URL.rstrip("/") + path


def email(user, template: str, context: dict, connection) -> EmailMessage:
    """Render notifications/email/<template>{_subject,}.txt into a message to user.

    The List-Unsubscribe headers let a mail client unsubscribe in one click
    (RFC 8058): it POSTs to the same link the e-mail's footer shows.
    """
    unsubscribe = absolute(
        reverse("notifications:unsubscribe", args=[unsubscribe_token(user)])
    )
    context = {
        **context,
        "user": user,
        "unsubscribe_url": unsubscribe,
        "settings_url": absolute(reverse("notifications:settings")),
    }
    subject = render_to_string(f"notifications/email/{template}_subject.txt", context)
    return EmailMessage(
        # A header cannot hold a newline; templates end with one.
        subject=" ".join(subject.split()),
        body=render_to_string(f"notifications/email/{template}.txt", context),
        to=[user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )


def question_url(question: Question) -> str:
    return absolute(reverse("forecasts:question", args=[question.slug]))


def forecast_text(question: Question, probabilities_bp: list[int]) -> str:
    """Return a forecast as people read it: "72% Yes", or "A 20% · B 80%"."""
    if question.is_continuous:
        cdf = [m / question.vector_unit for m in probabilities_bp]
        return f"median {continuous.summary(question, cdf)}"
    if question.is_binary:
        return f"{_percent(probabilities_bp[1])} Yes"
    return " · ".join(
        f"{label} {_percent(bp)}"
        for label, bp in zip(question.options, probabilities_bp, strict=True)
    )


def _percent(bp: int) -> str:
    return f"{100 * bp / BP:g}%"


def resolution_email(
    event: ResolutionEvent, standing: Standing, score: Score | None, connection
) -> EmailMessage:
    """Return the e-mail telling a forecaster of a resolution and their score."""
    question = event.question
    context = {
        "event": event,
        "question": question,
        "question_url": question_url(question),
        "outcome": None if event.annulled else resolution_text(event, question),
        "forecast": forecast_text(question, standing.probabilities_bp),
        "brier": None if score is None else f"{score.brier:.3f}",
        "time_averaged_brier": (
            None if score is None else f"{score.time_averaged_brier:.3f}"
        ),
    }
    template = "annulled" if event.annulled else "resolved"
    return email(standing.user, template, context, connection)


def reminder_email(user, standings: list[Standing], connection) -> EmailMessage:
    """Return the e-mail reminding a user of their old forecasts on open questions."""
    forecasts = [
        {
            "question": s.question,
            "url": question_url(s.question),
            "forecast": forecast_text(s.question, s.probabilities_bp),
            "made": s.entry.created_at,
        }
        for s in standings
    ]
    return email(user, "reminder", {"forecasts": forecasts}, connection)
