"""The development server `make run` starts prints each log line once."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# What runserver logs for a missing page, through Django's own loggers.
SCRIPT = """
import logging
import django
django.setup()
logging.getLogger("django.request").warning("Not Found: /no-such-page")
logging.getLogger("django.utils.autoreload").info("Watching for file changes")
logging.getLogger("django.server").info('"GET / HTTP/1.1" 200 2666')
"""


def test_each_django_log_line_is_printed_once_in_the_default_settings():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DEBUG": "True",
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = result.stderr.splitlines()
    assert lines.count("Not Found: /no-such-page") == 1, result.stderr
    assert lines.count("Watching for file changes") == 1, result.stderr
    requests = [line for line in lines if line.endswith('"GET / HTTP/1.1" 200 2666')]
    # Once, with runserver's own time stamp: [05/Dec/2026 08:31:56] "GET / …
    assert len(requests) == 1, result.stderr
    assert requests[0].startswith("["), result.stderr
