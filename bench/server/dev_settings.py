"""The settings `make run` serves with (DEBUG from the environment, True by
default), plus the bare endpoint's URL, for the SQLite throughput benchmark."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.server.urls"
