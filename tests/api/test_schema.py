"""The OpenAPI schema, its offline Swagger UI, and the API checked against it."""

import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import QuestionFactory

STAFF_TOKEN = "0123456789abcdef0123456789abcdef01234567"


def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_openapi(db):
    validate_schema(api_schema())


def test_the_schema_endpoint_serves_it(db, client):
    response = client.get(
        "/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    assert response.status_code == 200
    assert "/api/questions/{slug}/forecasts/" in response.json()["paths"]


def test_every_operation_documents_its_errors(db):
    for path, methods in api_schema()["paths"].items():
        for method, operation in methods.items():
            codes = set(operation["responses"])
            assert any(code.startswith("4") for code in codes), (method, path)
            if method == "post" and "requestBody" in operation:
                assert {"400", "413", "415"} <= codes, (method, path)


def test_the_swagger_ui_is_served_without_internet(db, client):
    page = client.get("/api/docs/").content.decode()
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    )
    assert "cdn" not in page.lower() and "unpkg" not in page.lower()


@pytest.fixture
def shared_connection(db, staff):
    """Let the WSGI application's requests run inside the test's transaction.

    Django closes the connection after each request; the test database must
    outlive the request, as Django's own test client arranges.
    """
    QuestionFactory(slug="open-question")
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Loaded from the application itself, through WSGI, when the module is collected.
schema = schemathesis.openapi.from_wsgi("/api/schema/", WSGIHandler())


@schema.parametrize()
# make test keeps this small; API_FUZZ_EXAMPLES=1000 runs the long fuzz.
@settings(
    max_examples=int(os.environ.get("API_FUZZ_EXAMPLES", "8")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_meets_its_schema_and_never_fails(case, staff, shared_connection):
    # A generated DELETE /api/auth/token/ must not lock out the cases after it.
    Token.objects.get_or_create(user=staff, key=STAFF_TOKEN)
    case.call_and_validate(
        headers={"Authorization": f"Token {STAFF_TOKEN}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
