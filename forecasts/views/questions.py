"""The question list, and the question page that takes forecasts."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.throttles import refusal
from discussion.pages import comments_context
from forecasts import services
from forecasts.api.throttles import ForecastThrottle
from forecasts.forms import QuestionFilterForm, ResolveForm, filters, forecast_form
from forecasts.selectors.community import community_history, community_visible
from forecasts.selectors.pages_questions import (
    clarifications,
    community_series,
    listed_tags,
)
from forecasts.selectors.questions import (
    own_entries,
    question_rows,
    search_questions,
    visible_questions,
)
from forecasts.selectors.results import (
    DEFAULT_RESULT_SORT,
    RESULT_SORTS,
    results_page,
)
from forecasts.selectors.scores import question_result
from forecasts.services.forecasting import refuse_unless_forecastable
from proposals.pages import credit_context

PER_PAGE = 50
# The results table's columns: sort key (None: not sortable), label, numeric.
RESULT_COLUMNS = [
    ("username", "Forecaster", False),
    (None, "Final forecast", True),
    (None, "Rationale", False),
    ("brier", "Brier", True),
    ("time_averaged_brier", "Time-averaged Brier", True),
    ("relative_brier", "Relative Brier", True),
    ("points", "Points", True),
]
QUESTION_TEMPLATE = "forecasts/question_detail.html"


def question_list(request):
    """Show questions filtered by status, tag and text, each with its forecasts."""
    form = QuestionFilterForm(request.GET)
    chosen = filters(form, q="", status=None, tag=None)
    questions = search_questions(
        request.user, status=chosen["status"], tag=chosen["tag"], text=chosen["q"]
    )
    page = Paginator(questions, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": question_rows(list(page.object_list), request.user),
        "tags": listed_tags(),
        "chosen": chosen,
    }
    return render(request, "forecasts/question_list.html", context)


def question_detail(request, slug):
    """Show a question with its community forecast and the user's ledger.

    A POST is a forecast from the form on the page.
    """
    question = get_object_or_404(visible_questions(request.user), slug=slug)
    if request.method == "POST":
        return submit_forecast(request, question)
    context = question_context(request, question)
    return render(request, QUESTION_TEMPLATE, context)


def submit_forecast(request, question):
    """Append the posted forecast to the ledger, or show the form with its errors."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    normalise = request.POST.get("action") == "normalise"
    # Counted with the API's forecasts; normalising only redraws the form.
    refused = not normalise and refusal(request, "forecasts", ForecastThrottle())
    if refused:
        return refused
    form = forecast_form(question, request.POST)
    if normalise and not question.is_binary and form.is_valid():
        form = forecast_form(question, form.normalised_data())
    elif form.is_valid():
        try:
            entry = services.submit_forecast(
                question=question, user=request.user, **form.service_arguments()
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Forecast saved as entry #{entry.sequence}.")
            return redirect(f"{request.path}#ledger")
    context = question_context(request, question, form)
    # A refused forecast is 400, as from the API; a normalised form is 200.
    status = 400 if form.errors else 200
    return render(request, QUESTION_TEMPLATE, context, status=status)


def question_context(request, question, form=None) -> dict:
    """Return what the question page shows this user, privacy rules applied."""
    user = request.user
    (row,) = question_rows([question], user)
    entries = own_entries(question, user)
    refusal = forecast_refusal(question)
    if form is None and refusal is None and user.is_authenticated:
        form = forecast_form(question, standing=row.own)
    context = {
        "question": question,
        "row": row,
        "entries": list(reversed(entries)),
        "clarifications": clarifications(question),
        "form": None if refusal else form,
        "refusal": refusal,
        "resolve_form": ResolveForm(question=question) if user.is_staff else None,
        "practice": question.practice,
    }
    context.update(history_context(question, row, bool(entries), user))
    if question.is_continuous:
        context["distribution_data"] = distribution_data(question, row, entries)
    context.update(result_context(question, user, request.GET))
    context.update(comments_context(request, question))
    context.update(credit_context(question))
    return context


def distribution_data(question, row, entries) -> dict:
    """Return what the distribution editor reads (json_script "distribution-data").

    The community CDF only where the page shows the community; the viewer's own
    standing CDF and last components, never anyone else's.
    """
    components = next(
        (
            e.input["components"]
            for e in reversed(entries)
            if isinstance(e.input, dict) and "components" in e.input
        ),
        None,
    )
    return {
        "kind": question.kind,
        "scale": question.scale,
        "range_min": question.range_min,
        "range_max": question.range_max,
        "open_lower": question.open_lower_bound,
        "open_upper": question.open_upper_bound,
        "unit": question.unit,
        "community_cdf": row.community.probabilities if row.community else None,
        "my_cdf": row.own,
        "my_components": components,
    }


def forecast_refusal(question) -> str | None:
    """Return why the question takes no forecast now, in the service's words."""
    try:
        refuse_unless_forecastable(question, question.head, timezone.now())
    except ValidationError as error:
        return " ".join(error.message_dict["question"])
    return None


def history_context(question, row, has_forecast: bool, user) -> dict:
    """Return the community history, or nothing while it is hidden from the user."""
    if not community_visible(question, has_forecast, user):
        return {"community_hidden": True, "history": []}
    points = community_series(question, community_history(question), row.community)
    return {"community_hidden": False, "history": history_changes(points)}


def history_changes(points, limit: int = 20) -> list:
    """Return the points where the community changed, newest first, at most limit."""
    changes = []
    for point in points:
        if not changes or point.probabilities != changes[-1].probabilities:
            changes.append(point)
    return changes[::-1][:limit]


def result_context(question, user, query=None) -> dict:
    """Return the latest resolution, this user's scores and a page of everyone's.

    After resolution nothing is private: any visitor sees every scored
    forecaster's final forecast, rationale and scores.
    """
    if not question.head.resolutions:
        return {"result": None, "own_score": None}
    result = question_result(question, only_user=user)
    context = {
        "result": result,
        "own_score": result.scores[0] if result.scores else None,
    }
    if result.state == "done":
        query = query or {}
        sort = query.get("sort", DEFAULT_RESULT_SORT)
        sort = sort if sort in RESULT_SORTS else DEFAULT_RESULT_SORT
        page, rows = results_page(
            result.resolution,
            result.forecasters,
            sort=sort,
            page_number=query.get("page"),
        )
        context.update(
            results=page,
            result_rows=rows,
            result_sort=sort,
            result_columns=RESULT_COLUMNS,
        )
    return context
