"""Test settings: the base settings with a fast password hasher."""

import os

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Unit tests run tasks inline; tests with a real worker switch this off.
CELERY_TASK_ALWAYS_EAGER = True

# Runs sharing one Redis must not read each other's cached pages and charts.
CACHES["default"]["KEY_PREFIX"] = f"test-{os.getpid()}"  # noqa: F405
