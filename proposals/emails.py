"""Tell a proposal's author, by e-mail, that staff declined it and why."""

from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from forecasts.notifications.emails import absolute
from proposals.models import Proposal


def send_decline_email(*, proposal_id: int) -> bool:
    """E-mail the author of a declined proposal; return whether one was sent.

    Not governed by the notification settings: it answers the author's own
    request, like a password-reset e-mail.
    """
    proposal = (
        Proposal.objects.select_related("author")
        .filter(pk=proposal_id, status=Proposal.DECLINED, author__is_active=True)
        .exclude(author__email="")
        .first()
    )
    if proposal is None:
        return False
    context = {
        "proposal": proposal,
        "user": proposal.author,
        "profile_url": absolute(
            reverse("forecasts:profile", args=[proposal.author.username])
        ),
    }
    subject = render_to_string("proposals/email/declined_subject.txt", context)
    EmailMessage(
        subject=" ".join(subject.split()),
        body=render_to_string("proposals/email/declined.txt", context),
        to=[proposal.author.email],
    ).send()
    return True
