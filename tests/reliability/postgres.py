"""A throwaway PostgreSQL cluster on a spare port, to stop and start at will."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.production.processes import spare_port

# PostgreSQL refuses to run as root; CI runs as root, so the cluster runs as
# the postgres account there.
SERVER_USER = "postgres"


def server_command(*args: str) -> list[str]:
    """Return a command line that runs as a user PostgreSQL accepts."""
    if os.geteuid() == 0:
        return ["runuser", "-u", SERVER_USER, "--", *args]
    return list(args)


def available() -> bool:
    """Say whether initdb and pg_ctl can be run here."""
    return all(shutil.which(tool) for tool in ("initdb", "pg_ctl"))


class PostgresCluster:
    """initdb, pg_ctl start and pg_ctl stop, in a directory of its own."""

    def __init__(self):
        self.port = spare_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="ledger-pg-"))
        self.data = self.workdir / "data"
        if os.geteuid() == 0:
            shutil.chown(self.workdir, SERVER_USER, SERVER_USER)

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1"
        log = str(self.workdir / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start"
        )

    def stop(self) -> None:
        """Stop the server at once, disconnecting every client (fast mode)."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def create_database(self, name: str) -> str:
        """Create a database; return its URL."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        """Stop the server if it runs, and delete its files."""
        subprocess.run(
            server_command("pg_ctl", "-D", str(self.data), "-m", "immediate", "stop"),
            cwd=self.workdir,
            capture_output=True,
        )
        shutil.rmtree(self.workdir, ignore_errors=True)

    def _run(self, *args: str) -> None:
        done = subprocess.run(
            server_command(*args),
            cwd=self.workdir,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stdout + done.stderr
