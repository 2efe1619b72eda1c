"""delete_account anonymises a user and keeps every ledger row and score."""

from datetime import timedelta

import pytest
from django.contrib.auth import authenticate
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.services import delete_account
from forecasts.models import Entry, ResolutionEvent, Score
from forecasts.services import resolve_question, score_resolution, submit_forecast
from forecasts.verification import verify_ledger
from tests.factories import QuestionFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.core

PASSWORD = "correct horse 42"


@pytest.fixture
def forecaster(db, clock):
    """A user with entries on a scored question and on an open one, and a token."""
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    Token.objects.create(user=user)
    other = UserFactory()
    resolved, still_open = QuestionFactory(), QuestionFactory()
    for p, who in [(0.7, user), (0.4, other), (0.8, user)]:
        clock.set(clock.moment + timedelta(hours=2))
        submit_forecast(question=resolved, user=who, probability=p, rationale="why")
    submit_forecast(question=still_open, user=user, probability=0.2)
    clock.set(clock.moment + timedelta(hours=1))
    event = resolve_question(question=resolved, user=StaffFactory(), outcome=1)
    score_resolution(resolution_id=event.pk)
    return user


def ledger_rows() -> tuple[list, list, list]:
    return (
        list(Entry.objects.order_by("pk").values()),
        list(ResolutionEvent.objects.order_by("pk").values()),
        list(Score.objects.order_by("pk").values()),
    )


def test_the_account_is_anonymised_and_keeps_its_id(forecaster):
    pk = forecaster.pk
    delete_account(user=forecaster)
    account = User.objects.get(pk=pk)
    assert account.username == f"deleted-{pk}"
    assert (account.email, account.first_name, account.last_name) == ("", "", "")
    assert not account.has_usable_password()
    assert not (account.is_active or account.is_staff or account.is_superuser)
    assert account.last_login is None


def test_its_chains_still_verify_and_its_entries_and_scores_stay(forecaster):
    before = ledger_rows()
    assert Score.objects.filter(user=forecaster).exists()
    delete_account(user=forecaster)
    assert ledger_rows() == before
    assert verify_ledger() == []


def test_its_tokens_are_deleted_and_it_cannot_log_in(forecaster):
    username = forecaster.username
    delete_account(user=forecaster)
    assert not Token.objects.filter(user_id=forecaster.pk).exists()
    assert authenticate(username=username, password=PASSWORD) is None
    deleted = f"deleted-{forecaster.pk}"
    assert authenticate(username=deleted, password=PASSWORD) is None


def test_staff_rights_and_groups_go_too(db):
    admin = StaffFactory(is_superuser=True)
    admin.groups.create(name="resolvers")
    delete_account(user=admin)
    admin.refresh_from_db()
    assert not admin.is_staff and not admin.is_superuser
    assert not admin.groups.exists()


def test_other_accounts_are_untouched(forecaster):
    others = list(User.objects.exclude(pk=forecaster.pk).order_by("pk").values())
    delete_account(user=forecaster)
    assert list(User.objects.exclude(pk=forecaster.pk).order_by("pk").values()) == (
        others
    )


def test_the_old_name_and_address_are_free_again(forecaster):
    name, email = forecaster.username, forecaster.email
    delete_account(user=forecaster)
    newcomer = UserFactory(username=name, email=email)
    assert newcomer.pk != forecaster.pk
