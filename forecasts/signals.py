"""Account renames and deletions move the accounts generation of cached reads.

Accounts are written in the accounts app (and the admin); listening here keeps
every such write, whatever its path, from leaving an old username cached.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save

from forecasts.services.generations import ACCOUNTS, bump_generation

# A save that writes only these (a log-in) cannot change a shown name.
_UNSHOWN = {"last_login", "password"}


def _account_saved(sender, instance, created, update_fields=None, **kwargs):
    if created or (update_fields and set(update_fields) <= _UNSHOWN):
        return
    bump_generation(ACCOUNTS)


def _account_deleted(sender, instance, **kwargs):
    bump_generation(ACCOUNTS)


def connect() -> None:
    user = get_user_model()
    post_save.connect(_account_saved, sender=user, dispatch_uid="generation-save")
    post_delete.connect(_account_deleted, sender=user, dispatch_uid="generation-del")
