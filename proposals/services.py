"""Propose a question; staff edit, accept (publish it) or decline it."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from forecasts.models import Question
from forecasts.services import create_question
from proposals.models import Proposal

logger = logging.getLogger(__name__)

EDITABLE = (*Proposal.QUESTION_FIELDS, "tags")


def propose_question(*, author, tags=(), **fields) -> Proposal:
    """Store a proposed question after the checks a new question gets.

    A blank slug is made from the title.
    """
    if not fields.get("slug"):
        fields["slug"] = slugify(fields.get("title", ""))[:80].strip("-")
    proposal = Proposal(
        author=author, tags=sorted(set(tags)), created_at=timezone.now(), **fields
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def update_proposal(*, proposal: Proposal, user, **fields) -> Proposal:
    """Change a pending proposal's question fields (staff)."""
    _require_staff(user)
    locked = _pending(proposal)
    for name, value in fields.items():
        if name not in EDITABLE:
            raise ValidationError({name: "Cannot be changed."})
        setattr(locked, name, sorted(set(value)) if name == "tags" else value)
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def accept_proposal(*, proposal: Proposal, user) -> Question:
    """Publish the proposed question now and link it, crediting the author."""
    _require_staff(user)
    locked = _pending(proposal)
    now = timezone.now()
    question = create_question(
        instance=locked.as_question(now), tags=locked.tags, publish=True
    )
    locked.status = Proposal.ACCEPTED
    locked.question = question
    _decided(locked, user, now)
    return question


@transaction.atomic
def decline_proposal(*, proposal: Proposal, user, reason: str) -> Proposal:
    """Decline a pending proposal with a reason, and queue the e-mail to its author."""
    _require_staff(user)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the proposal is declined."})
    locked = _pending(proposal)
    locked.status = Proposal.DECLINED
    locked.decline_reason = reason.strip()
    _decided(locked, user, timezone.now())
    transaction.on_commit(lambda: _enqueue_decline_email(locked.pk))
    return locked


def _require_staff(user) -> None:
    if not user.is_staff:
        raise PermissionDenied("Only staff do this.")


def _pending(proposal: Proposal) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if locked.status != Proposal.PENDING:
        raise ValidationError({"status": f"This proposal is already {locked.status}."})
    return locked


def _decided(proposal: Proposal, user, now) -> None:
    proposal.decided_by = user
    proposal.decided_at = now
    proposal.save()


def _enqueue_decline_email(proposal_id: int) -> None:
    from proposals.tasks import decline_email_task

    # A broker outage must not undo the decision; the profile page tells too.
    try:
        decline_email_task.delay(proposal_id)
    except Exception:
        logger.exception("Could not queue the e-mail of proposal %s", proposal_id)
