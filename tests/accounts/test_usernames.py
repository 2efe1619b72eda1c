"""New usernames: ASCII only, unique whatever the case, never a deleted-<id> name.

Both doors are tried: the sign-up form and POST /api/auth/signup/. Existing
accounts keep their names, and no name, old or new, can block a deletion.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.services import delete_account
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("fresh_caches")

PASSWORD = "a long new passphrase"
PAGE_FIELDS = {"email": "x@example.com", "password1": PASSWORD, "password2": PASSWORD}


def sign_up_page(username: str):
    return Client().post(reverse("signup"), {"username": username, **PAGE_FIELDS})


def sign_up_api(username: str):
    body = {"username": username, "password": PASSWORD}
    return Client().post("/api/auth/signup/", body, content_type="application/json")


def refused_by_page(username: str, message: str) -> bool:
    response = sign_up_page(username)
    errors = response.context["form"].errors.get("username", [])
    return response.status_code == 400 and any(message in e for e in errors)


def refused_by_api(username: str, message: str) -> bool:
    response = sign_up_api(username)
    errors = response.json().get("username", []) if response.status_code == 400 else []
    return any(message in e for e in errors)


@pytest.mark.parametrize(
    "name",
    [
        "ｄeleted-7",  # fullwidth ｄ: NFKC makes it deleted-7
        "ＤＥＬＥＴＥＤ-7",
        "DELETED-7",
        "deleted-",
        "Deleted-anything",
    ],
)
def test_reserved_names_are_refused_after_normalisation(db, name):
    assert refused_by_page(name, "are reserved")
    assert refused_by_api(name, "are reserved")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "name",
    [
        "аlice",  # Cyrillic а (U+0430), then Latin
        "bob@home",
        "bob+1",
        "zoë",
        "名前",
        "a b",
    ],
)
def test_only_ascii_letters_digits_and_three_marks_are_allowed(db, name):
    assert refused_by_page(name, "Enter a valid username")
    assert refused_by_api(name, "Enter a valid username")
    assert not User.objects.exists()


@pytest.mark.parametrize("name", ["Alice", "ALICE", "alice"])
def test_a_name_taken_in_another_case_is_refused(db, name):
    UserFactory(username="alice")
    assert refused_by_page(name, "already exists")
    assert refused_by_api(name, "already exists")
    assert User.objects.count() == 1


@pytest.mark.parametrize("name", ["plain", "a.b-c_d", "X9", "deleted", "undeleted-7"])
def test_ordinary_names_sign_up_through_both(db, name):
    assert sign_up_page(name).status_code == 302
    assert sign_up_api(name.upper() + "2").status_code == 201
    assert User.objects.filter(username=name).exists()


def test_existing_accounts_keep_names_outside_the_new_rule(db):
    old = UserFactory(username="zoë@home")
    response = Client().post(
        reverse("login"), {"username": "zoë@home", "password": "correct horse 42"}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.username == "zoë@home"


@pytest.mark.parametrize("squatter_name", ["deleted-{pk}", "Deleted-{pk}"])
def test_an_old_squatter_cannot_block_a_deletion(db, squatter_name):
    user = UserFactory()
    # Data from before the check: an account already holding the name.
    squatter = UserFactory(username=squatter_name.format(pk=user.pk))
    account = delete_account(user=user)
    assert not account.is_active and not account.has_usable_password()
    assert account.username.startswith(f"deleted-{user.pk}-")
    squatter.refresh_from_db()
    assert squatter.username == squatter_name.format(pk=user.pk)


def test_the_deletion_page_and_api_go_through_despite_a_squatter(db):
    page_user, api_user = UserFactory(), UserFactory()
    for victim in (page_user, api_user):
        User.objects.create_user(f"deleted-{victim.pk}")
    browser = Client()
    browser.force_login(page_user)
    page = browser.post(reverse("delete_account"), {"password": "correct horse 42"})
    assert page.status_code == 302
    api = client_for(api_user).delete(
        "/api/auth/account/", {"password": "correct horse 42"}, format="json"
    )
    assert api.status_code == 204
    for victim in (page_user, api_user):
        victim.refresh_from_db()
        assert not victim.is_active and victim.username.startswith("deleted-")
