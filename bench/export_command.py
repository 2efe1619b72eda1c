"""Run `export_ledger PATH` here and print its time and this process's memory.

`python -m bench.export_command PATH` (DATABASE_URL set): one JSON line with
idle_mb (resident after setup and one query), peak_mb (VmHWM, reset before the
command) and seconds.
"""

import contextlib
import json
import os
import sys
import time
from pathlib import Path


def main(path: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    os.environ["DEBUG"] = "0"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bench.exports import resident_mb

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    pid = os.getpid()
    idle = resident_mb(pid, "VmRSS")
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    start = time.perf_counter()
    with open(os.devnull, "w") as quiet:
        call_command("export_ledger", path, stdout=quiet)
    seconds = time.perf_counter() - start
    peak = resident_mb(pid, "VmHWM")
    print(json.dumps({"idle_mb": idle, "peak_mb": peak, "seconds": seconds}))


if __name__ == "__main__":
    main(sys.argv[1])
