"""Signed unsubscribe tokens: they stand in for a login on one page only."""

from django.contrib.auth import get_user_model
from django.core import signing

# A salt of its own, so that no other signed value of the site unsubscribes.
SALT = "forecasts.notifications.unsubscribe"


def unsubscribe_token(user) -> str:
    """Return a token that lets whoever holds it unsubscribe this user."""
    return signing.dumps(user.pk, salt=SALT)


def user_for_token(token: str):
    """Return the user a token was made for, or None if forged or stale."""
    try:
        pk = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()
