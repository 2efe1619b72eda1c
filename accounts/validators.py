"""Checks on new usernames that Django's own validators do not make.

Existing accounts keep whatever names they have; these apply to sign-ups.
"""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

# Deleted accounts are renamed deleted-<id>; nobody may sign up with such a name.
DELETED_PREFIX = "deleted-"
MAX_LENGTH = 150
TAKEN = "A user with that username already exists."


# ASCII only: a Cyrillic "а" in "аlice" would pass for Latin on every page.
validate_username_characters = RegexValidator(
    re.compile(r"\A[A-Za-z0-9_.-]+\Z"),
    "Enter a valid username. Use only letters A–Z, digits and the characters "
    "_ . and -.",
    code="invalid",
)


def stored_form(username: str) -> str:
    """Return the name as the account would store it (NFKC, as Django does)."""
    return unicodedata.normalize("NFKC", username)


def folded(username: str) -> str:
    """Return the name compared without case or compatibility differences."""
    return unicodedata.normalize("NFKC", stored_form(username).casefold())


def validate_not_reserved(username: str) -> None:
    """Refuse a username that starts as deleted accounts' names do.

    Compared after NFKC and case folding: a fullwidth "ｄeleted-7" is stored
    as "deleted-7" and would take user 7's name for the deleted account.
    """
    if folded(username).startswith(DELETED_PREFIX):
        raise ValidationError(
            f"Usernames starting with “{DELETED_PREFIX}” are reserved.",
            code="reserved",
        )


def validate_new_username(username: str) -> None:
    """Refuse a sign-up's username unless it is new, allowed and not reserved."""
    validate_not_reserved(username)
    name = stored_form(username)
    validate_username_characters(name)
    if len(name) > MAX_LENGTH:
        raise ValidationError(
            f"Use at most {MAX_LENGTH} characters.", code="max_length"
        )
    if get_user_model().objects.filter(username__iexact=name).exists():
        raise ValidationError(TAKEN, code="unique")
