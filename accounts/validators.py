"""Checks on usernames that Django's own validators do not make."""

from django.core.exceptions import ValidationError

# Deleted accounts are renamed deleted-<id>; nobody may sign up with such a name.
DELETED_PREFIX = "deleted-"


def validate_not_reserved(username: str) -> None:
    """Refuse a username that starts as deleted accounts' names do."""
    if username.lower().startswith(DELETED_PREFIX):
        raise ValidationError(
            f"Usernames starting with “{DELETED_PREFIX}” are reserved.",
            code="reserved",
        )
