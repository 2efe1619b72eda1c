"""Fuzzing: schemathesis sends generated requests to every API operation.

The setup is tests/api/test_schema.py's (the application through WSGI, inside
the test's transaction, as staff) with many more examples: at full size, 50
per operation, so at least 1,000 randomly generated requests besides the
schema-derived ones, none answered with a server error, each answer as the
schema documents it. The count of requests
actually sent is checked and reported by the last test of this module.
"""

import uuid
from collections import Counter

import pytest
from django.core.cache.backends.locmem import LocMemCache
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from forecasts.api.throttles import SafeRateThrottle
from tests.api import test_schema
from tests.reliability.scale import current_scale

schema = test_schema.schema
shared_connection = test_schema.shared_connection
SCALE = current_scale()
# Sized by SCALE at import, not through the fixture: marked by hand.
pytestmark = pytest.mark.scaled
# Requests sent, by operation and by phase: "coverage" (schemathesis's
# boundary values and malformed inputs, derived from the schema) and
# "fuzzing" (Hypothesis's random generation, max_examples per operation).
SENT = Counter()
PHASES = Counter()


@pytest.fixture(autouse=True)
def own_throttle_counts(monkeypatch):
    """Count throttled requests afresh per operation, as tests/api does."""
    monkeypatch.setattr(SafeRateThrottle, "cache", LocMemCache(str(uuid.uuid4()), {}))


@schema.parametrize()
@settings(
    max_examples=SCALE.fuzz_examples,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_never_get_a_server_error(case, staff, shared_connection):
    # A generated DELETE /api/auth/token/ must not lock out the cases after it.
    Token.objects.get_or_create(user=staff, key=test_schema.STAFF_TOKEN)
    SENT[case.operation.label] += 1
    PHASES[phase_of(case)] += 1
    case.call_and_validate(
        headers={"Authorization": f"Token {test_schema.STAFF_TOKEN}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


def phase_of(case) -> str:
    # Schemathesis keeps the generation phase in the case's private metadata.
    meta = getattr(case, "_meta", None)
    return meta.phase.name.value if meta is not None else "unknown"


def test_the_fuzz_sent_enough_requests(figures):
    if not SENT:
        pytest.skip("runs after the fuzz tests above, in the same session")
    assert PHASES["fuzzing"] >= SCALE.fuzz_cases
    figures.update(
        {
            "requests sent": sum(SENT.values()),
            **{f"in the {phase} phase": count for phase, count in PHASES.items()},
            "operations": len(SENT),
            "fewest for one operation": min(SENT.values()),
            "max_examples per operation": SCALE.fuzz_examples,
        }
    )
