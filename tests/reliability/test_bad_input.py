"""Malformed requests to the API and the forms: each gets a 4xx saying why, and
every application table (accounts, forecasts, authtoken) is unchanged after it,
row for row and column for column.

The table is the parametrize list; each row says what it probes. Markup sent
in text must come back escaped wherever a page echoes it.
"""

import html
import json
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from forecasts.services import resolve_question, submit_forecast
from tests.api.conftest import fresh_caches  # noqa: F401  (autouse)
from tests.factories import QuestionFactory, StaffFactory, UserFactory
from tests.reliability.database_state import changed_tables, snapshot

PASSWORD = "correct horse 42"
FORECAST = "/api/questions/{}/forecasts/"
OPEN = FORECAST.format("open-q")
RESOLVE = "/api/questions/{}/resolve/"
SIGNUP = "/api/auth/signup/"
PAGE = "/questions/{}/"
RESOLVE_PAGE = "/questions/{}/resolve/"
SCRIPT = "<script>alert(1)</script>"
SQL = "x'; DROP TABLE forecasts_entry; --"


@dataclass(frozen=True)
class Bad:
    """One malformed request and the refusal it must get."""

    who: str  # "anon", "user" or "staff": a token for /api/, else a session
    path: str
    body: str | bytes | dict | None = None  # dict: a form post
    status: int = 400
    says: str = ""  # part of the message the response must show
    method: str = "POST"
    content_type: str = "application/json"
    csrf: bool = False  # enforce CSRF checks, as a browser's cross-site post
    echo: str = ""  # markup the page must show escaped, never raw
    extra: dict = field(default_factory=dict)


def api(who, path, body, says, status=400, **kwargs) -> Bad:
    return Bad(who, path, body, status, says, **kwargs)


def form(who, path, data, says, status=400, **kwargs) -> Bad:
    return Bad(who, path, data, status, says, **kwargs)


def question(data: dict) -> str:
    now = timezone.now()
    fields = {
        "slug": "made-here",
        "title": "T",
        "body": "B",
        "resolution_criteria": "C",
        "open_time": now.isoformat(),
        "close_time": (now + timedelta(days=1)).isoformat(),
    }
    return json.dumps({**fields, **data})


def signup_form(**data) -> dict:
    fields = {
        "username": "newcomer",
        "email": "new@example.com",
        "password1": "a long new passphrase",
        "password2": "a long new passphrase",
    }
    return {**fields, **data}


RANGE = "Must be between 0.001 and 0.999."
PERCENT = "Enter a percentage from 0.1 to 99.9."
USERNAME = "Enter a valid username."

BAD = [
    # --- API forecasts: numbers out of range or of the wrong type ---------------
    # P(yes) above 1
    api("user", OPEN, '{"probability": 1.5}', RANGE),
    # P(yes) of exactly 0: certainty is not a forecast
    api("user", OPEN, '{"probability": 0}', RANGE),
    # a negative probability
    api("user", OPEN, '{"probability": -0.2}', RANGE),
    # more decimals than the ledger stores
    api("user", OPEN, '{"probability": 0.12345}', "at most 4 decimal places"),
    # a number sent as a string
    api("user", OPEN, '{"probability": "0.5"}', "Enter a number."),
    # a boolean, which Python would take for 1
    api("user", OPEN, '{"probability": true}', "Enter a number."),
    # null
    api("user", OPEN, '{"probability": null}', "may not be null"),
    # NaN, which Python's json module accepts
    api("user", OPEN, '{"probability": NaN}', "NaN is not a JSON number"),
    # Infinity
    api("user", OPEN, '{"probability": Infinity}', "Infinity is not a JSON number"),
    # a number that overflows a float to infinity
    api("user", OPEN, '{"probability": 1e400}', "number out of range"),
    # a key repeated, the second hoping to win
    api("user", OPEN, '{"probability": 0.5, "probability": 0.9}', "duplicate key"),
    # forecasting as someone else
    api("user", OPEN, '{"probability": 0.5, "user": 1}', "Unknown field."),
    # a list instead of an object
    api("user", OPEN, "[0.5]", "The body must be a JSON object."),
    # JSON cut short
    api("user", OPEN, '{"probability": 0.5', "The body is not valid JSON"),
    # bytes that are not UTF-8
    api("user", OPEN, b'{"probability": 0.5, "rationale": "\xff"}', "not valid UTF-8"),
    # a form body where JSON is expected
    api(
        "user",
        OPEN,
        "probability=0.5",
        "Unsupported media type",
        status=415,
        content_type="application/x-www-form-urlencoded",
    ),
    # a body over 64 KB
    api(
        "user",
        OPEN,
        '{"rationale": "' + "x" * 70_000 + '"}',
        "over the limit of 65536 bytes",
        status=413,
    ),
    # --- API forecasts: vectors that do not fit the question ---------------------
    # three options that do not add up to 1
    api(
        "user",
        FORECAST.format("mc-q"),
        '{"probabilities": [0.5, 0.3, 0.3]}',
        "Probabilities must sum to 1.",
    ),
    # two values for three options
    api(
        "user",
        FORECAST.format("mc-q"),
        '{"probabilities": [0.5, 0.5]}',
        "Give exactly 3 values.",
    ),
    # one P(yes) on a multiple-choice question
    api(
        "user",
        FORECAST.format("mc-q"),
        '{"probability": 0.5}',
        "This question takes probabilities.",
    ),
    # --- API forecasts: text fields --------------------------------------------
    # a lone surrogate, which can be neither stored nor hashed
    api(
        "user",
        OPEN,
        '{"probability": 0.5, "rationale": "\\ud800"}',
        "unpaired surrogate",
    ),
    # a NUL character
    api(
        "user",
        OPEN,
        '{"probability": 0.5, "rationale": "a\\u0000b"}',
        "Null characters are not allowed.",
    ),
    # a rationale over 10,000 characters
    api(
        "user",
        OPEN,
        json.dumps({"probability": 0.5, "rationale": "y" * 10_001}),
        "no more than 10000 characters",
    ),
    # a rationale that is a number
    api("user", OPEN, '{"probability": 0.5, "rationale": 5}', "Not a valid string."),
    # --- API forecasts: questions that take none -------------------------------
    # closed
    api("user", FORECAST.format("closed-q"), '{"probability": 0.5}', "has closed"),
    # a draft, invisible to users
    api(
        "user",
        FORECAST.format("draft-q"),
        '{"probability": 0.5}',
        "No such question.",
        status=404,
    ),
    # a draft, visible to staff but not open
    api(
        "staff",
        FORECAST.format("draft-q"),
        '{"probability": 0.5}',
        "This question is not published.",
    ),
    # annulled
    api("user", FORECAST.format("annulled-q"), '{"probability": 0.5}', "annulled"),
    # resolved
    api("user", FORECAST.format("resolved-q"), '{"probability": 0.5}', "resolved"),
    # --- API resolutions (staff) ------------------------------------------------
    # an option the question does not have
    api(
        "staff",
        RESOLVE.format("open-q"),
        '{"outcome": "Maybe"}',
        "Choose one of: No, Yes.",
    ),
    # the option's index instead of its label
    api("staff", RESOLVE.format("open-q"), '{"outcome": 1}', "Not a valid string."),
    # annulled without a reason
    api(
        "staff",
        RESOLVE.format("open-q"),
        '{"annulled": true}',
        "Say why the question is annulled.",
    ),
    # an outcome and annulled at once
    api(
        "staff",
        RESOLVE.format("open-q"),
        '{"outcome": "Yes", "annulled": true, "note": "x"}',
        "Give an outcome or annul, not both.",
    ),
    # an outcome known in the future
    api(
        "staff",
        RESOLVE.format("open-q"),
        '{"outcome": "Yes", "effective_at": "2999-01-01T00:00:00Z"}',
        "Cannot be in the future.",
    ),
    # a javascript: source link
    api(
        "staff",
        RESOLVE.format("open-q"),
        '{"outcome": "Yes", "source_url": "javascript:alert(1)"}',
        "Enter a valid URL.",
    ),
    # resolving twice without saying it is a re-resolution
    api(
        "staff",
        RESOLVE.format("resolved-q"),
        '{"outcome": "No"}',
        "Already resolved",
        status=409,
    ),
    # --- API questions (staff) --------------------------------------------------
    # SQL in the slug
    api("staff", "/api/questions/", question({"slug": SQL}), "underscores or hyphens"),
    # closing before it opens
    api(
        "staff",
        "/api/questions/",
        question({"close_time": "2000-01-01T00:00:00Z"}),
        "Must be after the open time.",
    ),
    # a time in words
    api(
        "staff",
        "/api/questions/",
        question({"open_time": "yesterday"}),
        "Datetime has wrong format.",
    ),
    # a kind that does not exist
    api(
        "staff",
        "/api/questions/",
        question({"kind": "ternary"}),
        "is not a valid choice.",
    ),
    # a title over 200 characters
    api(
        "staff",
        "/api/questions/",
        question({"title": "t" * 201}),
        "no more than 200 characters",
    ),
    # --- API accounts ------------------------------------------------------------
    # a common password
    api(
        "anon",
        SIGNUP,
        '{"username": "newcomer", "password": "password"}',
        "This password is too common.",
    ),
    # a right-to-left override in a username, to fake another name
    api(
        "anon",
        SIGNUP,
        '{"username": "ad\\u202enim", "password": "fresh pass 31"}',
        USERNAME,
    ),
    # a zero-width space in a username, to look like a taken one
    api(
        "anon",
        SIGNUP,
        '{"username": "ad\\u200bmin", "password": "fresh pass 31"}',
        USERNAME,
    ),
    # HTML as a username
    api(
        "anon",
        SIGNUP,
        json.dumps({"username": SCRIPT, "password": "fresh pass 31"}),
        USERNAME,
    ),
    # SQL as a username
    api(
        "anon",
        SIGNUP,
        json.dumps({"username": "' OR '1'='1", "password": "fresh pass 31"}),
        USERNAME,
    ),
    # a lone surrogate in a username
    api(
        "anon",
        SIGNUP,
        '{"username": "\\udc00x", "password": "fresh pass 31"}',
        "unpaired surrogate",
    ),
    # a NUL in the token request's username
    api(
        "anon",
        "/api/auth/token/",
        '{"username": "a\\u0000", "password": "x"}',
        "Null characters are not allowed.",
    ),
    # deleting the account with a wrong password
    api(
        "user",
        "/api/auth/account/",
        '{"password": "guess"}',
        "Wrong password.",
        method="DELETE",
    ),
    # a query parameter out of range
    api(
        "anon",
        "/api/leaderboard/?min_questions=-1",
        None,
        "greater than or equal to 1",
        method="GET",
    ),
    # --- Forms without a CSRF token, as a cross-site post sends them ------------
    # sign-up
    form("anon", "/accounts/signup/", signup_form(), "CSRF", 403, csrf=True),
    # log-in
    form(
        "anon",
        "/accounts/login/",
        {"username": "forecaster", "password": PASSWORD},
        "CSRF",
        403,
        csrf=True,
    ),
    # a forecast
    form("user", PAGE.format("open-q"), {"probability": "50"}, "CSRF", 403, csrf=True),
    # a resolution
    form(
        "staff",
        RESOLVE_PAGE.format("open-q"),
        {"outcome": "1", "step": "confirm", "version": "0"},
        "CSRF",
        403,
        csrf=True,
    ),
    # deleting an account
    form(
        "user",
        "/accounts/delete/",
        {"password": PASSWORD},
        "CSRF",
        403,
        csrf=True,
    ),
    # the API with a session but no CSRF token
    api(
        "user-session",
        OPEN,
        '{"probability": 0.5}',
        "CSRF Failed",
        status=403,
        csrf=True,
    ),
    # --- Sign-up, log-in and account forms ---------------------------------------
    # a common password
    form(
        "anon",
        "/accounts/signup/",
        signup_form(password1="password", password2="password"),
        "This password is too common.",
    ),
    # an all-digit password
    form(
        "anon",
        "/accounts/signup/",
        signup_form(password1="12345678", password2="12345678"),
        "This password is entirely numeric.",
    ),
    # a right-to-left override in a username
    form("anon", "/accounts/signup/", signup_form(username="ad\u202enim"), USERNAME),
    # a zero-width space in a username
    form("anon", "/accounts/signup/", signup_form(username="ad\u200bmin"), USERNAME),
    # a NUL in a username
    form(
        "anon",
        "/accounts/signup/",
        signup_form(username="a\x00b"),
        "Null characters are not allowed.",
    ),
    # HTML as a username: refused, and echoed escaped
    form(
        "anon",
        "/accounts/signup/",
        signup_form(username=SCRIPT),
        USERNAME,
        echo=SCRIPT,
    ),
    # HTML as an e-mail address: refused, and echoed escaped
    form(
        "anon",
        "/accounts/signup/",
        signup_form(email="<img src=x onerror=alert(1)>"),
        "Enter a valid email address.",
        echo="<img src=x onerror=alert(1)>",
    ),
    # SQL as a log-in name
    form(
        "anon",
        "/accounts/login/",
        {"username": "' OR 1=1 --", "password": "x"},
        "Please enter a correct username and password",
        echo="' OR 1=1 --",
    ),
    # a log-in without a password
    form(
        "anon",
        "/accounts/login/",
        {"username": "forecaster"},
        "This field is required.",
    ),
    # a password reset for something that is not an address
    form(
        "anon",
        "/accounts/password_reset/",
        {"email": "not-an-address"},
        "Enter a valid email address.",
    ),
    # a password change with the wrong old password
    form(
        "user",
        "/accounts/password_change/",
        {
            "old_password": "guess",
            "new_password1": "another long phrase",
            "new_password2": "another long phrase",
        },
        "Your old password was entered incorrectly.",
    ),
    # deleting the account with a wrong password
    form("user", "/accounts/delete/", {"password": "guess"}, "Wrong password."),
    # --- The forecast form ------------------------------------------------------
    # 150%
    form("user", PAGE.format("open-q"), {"probability": "150"}, PERCENT),
    # NaN, which Decimal accepts
    form("user", PAGE.format("open-q"), {"probability": "NaN"}, PERCENT),
    # Infinity
    form("user", PAGE.format("open-q"), {"probability": "Infinity"}, PERCENT),
    # words
    form("user", PAGE.format("open-q"), {"probability": "seventy"}, PERCENT),
    # three decimals of a percent
    form(
        "user",
        PAGE.format("open-q"),
        {"probability": "72.125"},
        "Use at most 2 decimal places",
    ),
    # a NUL in the rationale
    form(
        "user",
        PAGE.format("open-q"),
        {"probability": "50", "rationale": "a\x00b"},
        "Null characters are not allowed.",
    ),
    # HTML in the rationale of a refused forecast: echoed escaped
    form(
        "user",
        PAGE.format("open-q"),
        {"probability": "0", "rationale": SCRIPT},
        PERCENT,
        echo=SCRIPT,
    ),
    # percentages that add up to 120
    form(
        "user",
        PAGE.format("mc-q"),
        {"option_0": "40", "option_1": "40", "option_2": "40"},
        "add up to 120%; they must add up to 100%",
    ),
    # a closed question
    form("user", PAGE.format("closed-q"), {"probability": "50"}, "has closed"),
    # an annulled question
    form("user", PAGE.format("annulled-q"), {"probability": "50"}, "annulled"),
    # a resolved question
    form("user", PAGE.format("resolved-q"), {"probability": "50"}, "resolved"),
    # a draft, invisible to users
    form("user", PAGE.format("draft-q"), {"probability": "50"}, "Not Found", 404),
    # --- The resolve form (staff) ------------------------------------------------
    # an option the question does not have
    form(
        "staff",
        RESOLVE_PAGE.format("open-q"),
        {"outcome": "7", "step": "confirm", "version": "0"},
        "Select a valid choice.",
    ),
    # annulled without a reason
    form(
        "staff",
        RESOLVE_PAGE.format("open-q"),
        {"outcome": "annul", "step": "confirm", "version": "0"},
        "Say why the question is annulled.",
    ),
    # a draft
    form(
        "staff",
        RESOLVE_PAGE.format("draft-q"),
        {"outcome": "1", "step": "confirm", "version": "0"},
        "Publish the question before resolving it.",
    ),
    # a time in words
    form(
        "staff",
        RESOLVE_PAGE.format("open-q"),
        {"outcome": "1", "effective_at": "soon", "step": "confirm", "version": "0"},
        "Enter a valid date/time.",
    ),
]


@pytest.fixture
def world(db):
    """Questions in every state, a forecaster and staff with tokens."""
    user = UserFactory(username="forecaster")
    staff = StaffFactory(username="resolver")
    now = timezone.now()
    open_q = QuestionFactory(slug="open-q")
    QuestionFactory(slug="mc-q", kind="multiple_choice", options=["Lo", "Mid", "Hi"])
    QuestionFactory(
        slug="closed-q",
        open_time=now - timedelta(days=20),
        close_time=now - timedelta(days=1),
    )
    QuestionFactory(slug="draft-q", publish=False)
    resolved, annulled = (
        QuestionFactory(slug="resolved-q"),
        QuestionFactory(slug="annulled-q"),
    )
    for q in (open_q, resolved, annulled):
        submit_forecast(question=q, user=user, probability=0.3, rationale="mine")
    resolve_question(question=resolved, user=staff, outcome=1)
    resolve_question(question=annulled, user=staff, annulled=True, note="Void.")
    for person in (user, staff):
        Token.objects.create(user=person)
    return {"anon": None, "user": user, "user-session": user, "staff": staff}


def sender(world: dict, bad: Bad):
    """Return a function sending the request as its sender: a token for the
    API, else a session (logging in writes last_login, so it happens here)."""
    client = Client(enforce_csrf_checks=bad.csrf)
    person = world[bad.who]
    headers = {}
    if (
        person is not None
        and bad.path.startswith("/api/")
        and bad.who != "user-session"
    ):
        headers["HTTP_AUTHORIZATION"] = f"Token {person.auth_token.key}"
    elif person is not None:
        client.force_login(person)
    if isinstance(bad.body, dict):
        return lambda: client.post(bad.path, bad.body, **headers)
    return lambda: client.generic(
        bad.method, bad.path, bad.body or "", content_type=bad.content_type, **headers
    )


def shown_text(response) -> str:
    """Return what the response says: JSON messages, or the page's text."""
    if response["Content-Type"].startswith("application/json"):
        return "\n".join(strings(response.json()))
    return html.unescape(response.content.decode())


def strings(data):
    if isinstance(data, dict):
        data = list(data.values())
    if isinstance(data, list):
        return [text for item in data for text in strings(item)]
    return [str(data)]


def test_the_table_is_long_enough():
    assert len(BAD) >= 30
    assert any(isinstance(b.body, dict) for b in BAD)  # forms
    assert any(b.path.startswith("/api/") for b in BAD)  # and the API


@pytest.mark.parametrize("bad", BAD, ids=lambda b: f"{b.method} {b.path} {b.who}")
def test_bad_input_is_refused_and_changes_nothing(world, bad):
    send = sender(world, bad)
    before = snapshot()
    response = send()
    assert response.status_code == bad.status, response.content[:500]
    assert bad.says in shown_text(response)
    assert changed_tables(before, snapshot()) == []
    raw = response.content.decode()
    if bad.echo:
        assert html.escape(bad.echo) in raw or html.escape(bad.echo, False) in raw
    for markup in (SCRIPT, "<img src=x"):
        assert markup not in raw
