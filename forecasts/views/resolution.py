"""Staff resolve, annul or re-resolve a question, confirming on a second screen."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from forecasts import services
from forecasts.forms import ResolveForm
from forecasts.selectors.pages_questions import forecasters_before
from forecasts.selectors.questions import visible_questions
from forecasts.selectors.scores import question_result


def resolve(request, slug):
    """Show the resolve form, the confirmation screen, or resolve on confirmation."""
    if not request.user.is_staff:
        raise PermissionDenied("Only staff resolve questions.")
    question = get_object_or_404(visible_questions(request.user), slug=slug)
    previous = question_result(question).resolution
    form = ResolveForm(request.POST or None, question=question)
    step = request.POST.get("step")
    if form.is_valid() and step in ("review", "confirm"):
        arguments = {
            **form.service_arguments(),
            "question": question,
            "user": request.user,
            "re_resolve": previous is not None,
            "expected_version": int(request.POST.get("version") or 0),
        }
        try:
            if step == "confirm":
                return resolve_confirmed(request, question, arguments)
            services.check_resolution(**arguments)
        except ValidationError as error:
            form.add_service_errors(error)
        except services.ResolutionConflict as error:
            form.add_error(None, f"{error} Reload the question and try again.")
        else:
            return render_review(request, question, form, previous, arguments)
    context = {"question": question, "form": form, "previous": previous}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "forecasts/resolve_form.html", context, status=status)


def render_review(request, question, form, previous, arguments):
    """Show what confirming will do before anything is written."""
    effective = arguments["effective_at"] or timezone.now()
    window_end = min(effective, question.close_time)
    context = {
        "question": question,
        "form": form,
        "previous": previous,
        "arguments": arguments,
        "version": previous.version if previous else 0,
        "forecasters": forecasters_before(question, window_end),
        "window_end": window_end,
        "early": effective < question.close_time,
    }
    return render(request, "forecasts/resolve_confirm.html", context)


def resolve_confirmed(request, question, arguments):
    """Resolve for real; scoring follows on commit without any further step."""
    event = services.resolve_question(**arguments)
    verb = "Annulled" if event.annulled else "Resolved"
    messages.success(request, f"{verb} (version {event.version}). Scores follow.")
    return redirect("forecasts:question", slug=question.slug)
