"""Writes to accounts: deleting one (anonymised, keeping its id); reset mail."""

import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.validators import DELETED_PREFIX


@transaction.atomic
def delete_account(*, user):
    """Anonymise the account and return it: it can never log in again.

    The username becomes deleted-<id> (see deleted_name); e-mail, names,
    password, staff rights, groups and API tokens go. The row and its id
    stay, because every ledger hash covers the id and every score points at
    it: the chains still verify and the scores stay, shown under the new name.
    """
    account = get_user_model().objects.select_for_update().get(pk=user.pk)
    account.username = deleted_name(account)
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


def deleted_name(account) -> str:
    """Return deleted-<id>, or deleted-<id>-<random> if another account has it.

    Sign-up refuses such names, but an older version let "ｄeleted-7" in as
    "deleted-7", and an admin may make one: that account keeps its name, and
    the deletion must still go through.
    """
    users = get_user_model().objects.exclude(pk=account.pk)
    name = f"{DELETED_PREFIX}{account.pk}"
    while users.filter(username__iexact=name).exists():
        name = f"{DELETED_PREFIX}{account.pk}-{secrets.token_hex(4)}"
    return name


def send_password_reset(*, email: str, domain: str, use_https: bool) -> None:
    """E-mail a reset link to every active account with a password at `email`.

    An unknown address sends nothing; the caller answers alike either way.
    """
    form = PasswordResetForm({"email": email})
    if form.is_valid():
        form.save(
            domain_override=domain,
            use_https=use_https,
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
        )
