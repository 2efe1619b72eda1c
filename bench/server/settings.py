"""The site's settings plus one bare endpoint, for the throughput benchmark."""

from config.settings.base import *  # noqa: F403

ROOT_URLCONF = "bench.server.urls"
DEBUG = False
