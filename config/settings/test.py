"""Test settings: the base settings with a fast password hasher."""

import os

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests run tasks inline; tests with a real worker switch this off.
CELERY_TASK_ALWAYS_EAGER = True

# Each test starts from an empty cache (tests/conftest.py clears it), which a
# shared Redis cannot offer: in-process tests use the local-memory cache, and
# the production tests run real Redis-backed processes.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Several suites may run at once against one PostgreSQL server (developers,
# CI, a benchmark): each gets its own test database.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):  # noqa: F405
    DATABASES["default"]["TEST"] = {"NAME": f"test_ledger_{os.getpid()}"}  # noqa: F405
