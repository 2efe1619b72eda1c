"""Proposal pages: propose, list one's own (staff: all), read, accept, decline."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from discussion.pages import too_many
from proposals import services
from proposals.forms import DeclineForm, ProposalForm
from proposals.selectors import visible_proposals
from proposals.throttles import ProposalThrottle


@login_required
def proposal_list(request):
    """List the user's proposals, or every proposal for staff."""
    context = {"proposals": visible_proposals(request.user)[:200]}
    return render(request, "proposals/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def propose(request):
    """Show the proposal form; a valid POST stores the proposal for staff."""
    form = ProposalForm(request.POST or None)
    if request.method == "POST":
        throttle = ProposalThrottle()
        if not throttle.allow_request(request, None):
            return too_many(request, throttle, "proposals")
        if form.is_valid():
            try:
                proposal = services.propose_question(
                    author=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, "Proposal sent to the staff.")
                return redirect("proposals:detail", pk=proposal.pk)
    status = 400 if form.errors else 200
    return render(request, "proposals/new.html", {"form": form}, status=status)


@login_required
def proposal_detail(request, pk, decline_form=None, error=None):
    """Show a proposal to its author or staff; staff get accept and decline."""
    proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
    context = {
        "proposal": proposal,
        "decline_form": decline_form or DeclineForm(),
        "error": error,
    }
    status = 400 if error or (decline_form and decline_form.errors) else 200
    return render(request, "proposals/detail.html", context, status=status)


@require_POST
@login_required
def accept(request, pk):
    """Publish the proposed question now, then show it."""
    _require_staff(request.user)
    proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
    try:
        question = services.accept_proposal(proposal=proposal, user=request.user)
    except ValidationError as error:
        text = " ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
        return proposal_detail(request, pk, error=text)
    messages.success(request, "Proposal accepted: the question is published.")
    return redirect("forecasts:question", slug=question.slug)


@require_POST
@login_required
def decline(request, pk):
    """Decline the proposal with the reason given; the author is told."""
    _require_staff(request.user)
    proposal = get_object_or_404(visible_proposals(request.user), pk=pk)
    form = DeclineForm(request.POST)
    if form.is_valid():
        try:
            services.decline_proposal(
                proposal=proposal, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, "Proposal declined; the author is told.")
            return redirect("proposals:detail", pk=pk)
    return proposal_detail(request, pk, decline_form=form)


def _require_staff(user) -> None:
    if not user.is_staff:
        raise PermissionDenied("Only staff accept or decline proposals.")
