"""What the API views share: finding a visible question, rendering it."""

from django.http import Http404
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation

from forecasts.api.pagination import PageNumberPagination
from forecasts.api.serializers import QuestionOutput
from forecasts.models import Question
from forecasts.selectors.api_questions import latest_resolutions
from forecasts.selectors.questions import (
    question_rows,
    visible_question,
    visible_questions,
)
from proposals.selectors import proposers


# No docstring: drf-spectacular would show it on every list endpoint.
class ListView(GenericAPIView):
    pagination_class = PageNumberPagination


def get_question(request, slug: str, *, head: bool = True) -> Question:
    """Return the question if this user may see it; drafts are 404 to non-staff.

    head=False leaves out the ledger head, for a writer that locks and reads it.
    """
    if not head:
        # The forecast write, the hot path: the lookup's SQL is built once.
        question = visible_question(request.user, slug)
        if question is None:
            raise Http404("No such question.")
        return question
    # No tag prefetch: none of the callers reads the tags.
    try:
        return visible_questions(request.user).prefetch_related(None).get(slug=slug)
    except Question.DoesNotExist:
        raise Http404("No such question.") from None


def question_data(questions: list[Question], user) -> list[dict]:
    """Return questions as the API shows them to this user."""
    rows = question_rows(questions, user)
    context = {
        "resolutions": latest_resolutions(questions),
        "proposers": proposers(questions),
    }
    return QuestionOutput(rows, many=True, context=context).data


def query(serializer_class, request) -> dict:
    """Return the validated query parameters, or raise a 400."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class AnyAccept(BaseContentNegotiation):
    """Answer in the view's one format whatever Accept says: files and images."""

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type
