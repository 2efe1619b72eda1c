"""The production settings pass Django's deployment checklist and need a key."""

import secrets
import subprocess

import pytest

from tests.production.processes import manage_alone


def manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    """Run manage.py with production settings and only the given environment."""
    return manage_alone("config.settings.production", *args, env=env)


def test_production_settings_pass_the_deployment_checklist():
    checked = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={"SECRET_KEY": secrets.token_urlsafe(50)},
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout


@pytest.mark.parametrize("env", [{}, {"SECRET_KEY": ""}], ids=["unset", "empty"])
def test_production_settings_refuse_to_start_without_a_secret_key(env):
    checked = manage("check", env=env)
    assert checked.returncode != 0
    assert "Set SECRET_KEY" in checked.stderr
