"""Writes to accounts: deleting one, which anonymises it and keeps its id."""

from django.contrib.auth import get_user_model
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.validators import DELETED_PREFIX


@transaction.atomic
def delete_account(*, user):
    """Anonymise the account and return it: it can never log in again.

    The username becomes deleted-<id>; e-mail, names, password, staff rights,
    groups and API tokens go. The row and its id stay, because every ledger
    hash covers the id and every score points at it: the chains still verify
    and the scores stay, shown under the new name.
    """
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    account.username = f"{DELETED_PREFIX}{account.pk}"
    account.email = account.first_name = account.last_name = ""
    account.set_unusable_password()
    account.is_active = account.is_staff = account.is_superuser = False
    account.last_login = None
    account.full_clean()
    account.save()
    account.groups.clear()
    account.user_permissions.clear()
    Token.objects.filter(user=account).delete()
    return account
