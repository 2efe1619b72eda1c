"""Ledger exports: enough to re-verify every chain and recompute every score."""

import csv
import json

from django.conf import settings
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from forecasts.api.errors import error_responses
from forecasts.api.ledger_serializers import LedgerExportOutput, QuestionLedgerOutput
from forecasts.api.views.common import AnyAccept, get_question
from forecasts.ledger import format_time
from forecasts.models import CONTINUOUS_SCORE_FIELDS, SCORE_FIELDS, ResolutionEvent
from forecasts.selectors import api_ledger, api_questions

TAG = ["ledger"]
CSV_COLUMNS = (
    "question",
    "sequence",
    "user",
    "username",
    "probabilities",
    "rationale",
    "created_at",
    "salted",
    "salt",
    "prev_hash",
    "hash",
    "input",
)
# A spreadsheet runs a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Echo:
    def write(self, value):
        return value


def csv_lines(records):
    """Yield the CSV header and one line per entry, formula-like text defused."""
    writer = csv.writer(Echo())
    yield writer.writerow(CSV_COLUMNS)
    for record in records:
        record["probabilities"] = json.dumps(record["probabilities"])
        record["input"] = "" if record["input"] is None else json.dumps(record["input"])
        for text in ("username", "rationale"):
            if record[text].startswith(FORMULA_STARTS):
                record[text] = "'" + record[text]
        yield writer.writerow([record[column] for column in CSV_COLUMNS])


def json_chunks(entries, events):
    """Yield {"entries": [...], "resolutions": [...]} piece by piece."""
    yield '{"entries": ['
    for i, record in enumerate(entries):
        yield ("," if i else "") + json.dumps(record, ensure_ascii=False)
    yield '], "resolutions": ['
    for i, record in enumerate(events):
        yield ("," if i else "") + json.dumps(record, ensure_ascii=False)
    yield "]}"


def download(chunks, content_type: str, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


EXPORT_DOC = (
    "Your own entries (staff: everyone's), in question and sequence order, "
    "with the fields the README's hash recipe reads. Another user's `salt` is "
    "null until their question is resolved or annulled (`salted` still says "
    "whether the entry has one)."
)


class LedgerCsvView(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = AnyAccept

    @extend_schema(
        tags=TAG,
        summary="Export ledger entries as CSV",
        description=EXPORT_DOC + " Text starting with = + - @ gets a leading '; "
        "the JSON export is byte-exact.",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR),
            **error_responses(401),
        },
    )
    def get(self, request):
        entries = api_ledger.exported_entries(request.user)
        lines = csv_lines(api_ledger.entry_records(entries, request.user))
        return download(lines, "text/csv; charset=utf-8", "ledger.csv")


class LedgerJsonView(APIView):
    permission_classes = [IsAuthenticated]
    content_negotiation_class = AnyAccept

    @extend_schema(
        tags=TAG,
        summary="Export ledger entries and resolution events as JSON",
        description=EXPORT_DOC + " Resolution events of those questions too.",
        responses={
            (200, "application/json"): LedgerExportOutput,
            **error_responses(401),
        },
    )
    def get(self, request):
        user = request.user
        chunks = json_chunks(
            api_ledger.entry_records(api_ledger.exported_entries(user), user),
            api_ledger.event_records(api_ledger.exported_events(user)),
        )
        return download(chunks, "application/json", "ledger.json")


class QuestionLedgerView(APIView):
    content_negotiation_class = AnyAccept

    @extend_schema(
        tags=TAG,
        summary="A resolved question's whole ledger, events, series and scores",
        description="Public once the question is resolved or annulled, with "
        "every entry's `salt`, so anyone can recompute every hash from it; staff "
        "can read it at any time, with only their own entries' salts before "
        "resolution.",
        responses={
            200: QuestionLedgerOutput,
            **error_responses(403, 404),
        },
    )
    def get(self, request, slug):
        question = get_question(request, slug)
        if not (question.head.resolutions or request.user.is_staff):
            raise PermissionDenied(
                "The ledger is published once the question resolves."
            )
        return Response(question_ledger(question, request.user))


def question_ledger(question, viewer=None) -> dict:
    """Return the question's chains, community series and latest scores.

    Entry salts are all shown once the question is resolved or annulled;
    before, only the viewer's own.
    """
    events = ResolutionEvent.objects.filter(question=question).order_by("version")
    latest = api_questions.latest_resolutions([question]).get(question.pk)
    return {
        "question": {
            "slug": question.slug,
            "kind": question.kind,
            "options": question.options,
            "ordered": question.ordered,
            "range_min": question.range_min,
            "range_max": question.range_max,
            "scale": question.scale,
            "open_lower_bound": question.open_lower_bound,
            "open_upper_bound": question.open_upper_bound,
            "unit": question.unit,
            "open_time": format_time(question.open_time),
            "close_time": format_time(question.close_time),
            "community_step_seconds": settings.COMMUNITY_STEP_SECONDS,
        },
        "head": _head(question.head),
        "entries": list(
            api_ledger.entry_records(question.entries.order_by("sequence"), viewer)
        ),
        "resolutions": list(api_ledger.event_records(events)),
        "community": [
            {"time": format_time(p.time), **_point(p)}
            for p in api_questions.community_points(question)
        ],
        "scoring": {
            "version": latest.version if latest else None,
            "state": api_questions.scoring_state(latest),
        },
        "scores": [_score(s) for s in api_questions.question_scores(latest)],
    }


def _head(head) -> dict:
    return {
        "entries": head.entries,
        "entry_hash": head.entry_hash,
        "resolutions": head.resolutions,
        "resolution_hash": head.resolution_hash,
    }


def _point(point) -> dict:
    return {"probabilities": point.probabilities, "forecasters": point.forecasters}


def _score(score) -> dict:
    return {
        "user": score.user_id,
        "username": score.user.username,
        **{name: getattr(score, name) for name in SCORE_FIELDS},
        **{name: getattr(score, name) for name in CONTINUOUS_SCORE_FIELDS},
    }
