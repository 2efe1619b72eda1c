"""While the database refuses every query, the site answers 503, not 500.

The same as a PostgreSQL outage (tests/reliability/test_postgres_restart.py)
without one: every query raises the OperationalError a refused connection
raises, on any database.
"""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from config.middleware import DATABASE_DOWN


@pytest.fixture
def queries_raise(db):
    """Return a switch making every query raise the given error, until teardown.

    The patch is undone here, before the test database's own teardown queries.
    """
    with pytest.MonkeyPatch.context() as patch:

        def switch(error: Exception) -> None:
            def execute(*args, **kwargs):
                raise error

            patch.setattr(CursorWrapper, "execute", execute)

        yield switch


@pytest.fixture
def database_down(queries_raise):
    queries_raise(OperationalError("connection to server failed: Connection refused"))


def test_the_api_answers_503_in_json(client, database_down):
    response = client.get("/api/questions/")
    assert response.status_code == 503
    assert response.json() == {"detail": DATABASE_DOWN}
    assert int(response["Retry-After"]) > 0


def test_pages_answer_503_in_html(client, database_down):
    response = client.get("/", HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert "Temporarily unavailable" in response.content.decode()


def test_a_json_client_gets_json_from_a_page(client, database_down):
    response = client.get("/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response.json() == {"detail": DATABASE_DOWN}


def test_other_errors_are_not_taken_for_an_outage(client, queries_raise):
    queries_raise(ValueError("a bug, not an outage"))
    with pytest.raises(ValueError, match="a bug"):
        client.get("/api/questions/")
