"""A throwaway PostgreSQL server for the test session.

Debian's PostgreSQL binaries, a data directory in a temporary folder, listening on
a unix socket in that folder and on 127.0.0.1 only. initdb refuses to run as root,
so as root the server runs as the `postgres` user. Clients connect over TCP as the
role APP_ROLE, whose password holds the characters URLs and ConfigParser trip on.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import quote

POSTGRES_BIN = Path(os.environ.get("POSTGRES_BIN", "/usr/lib/postgresql/15/bin"))
APP_ROLE = "app"
APP_PASSWORD = "p%ss@w/rd:50%"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """Start with `start()`, stop with `stop()`; `url(database)` for clients."""

    def __init__(self) -> None:
        if not (POSTGRES_BIN / "initdb").exists():
            msg = (
                f"PostgreSQL server binaries not found in {POSTGRES_BIN}: install "
                "Debian's postgresql-15 (or set POSTGRES_BIN)"
            )
            raise RuntimeError(msg)
        self.root = Path(tempfile.mkdtemp(prefix="copier-sqlalchemy-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.port = free_port()
        self._as_root = os.geteuid() == 0

    def _command(self, *args: str) -> list[str]:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_root else []
        return [*prefix, *args]

    def _run(self, *args: str) -> str:
        result = subprocess.run(
            self._command(*args), capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            msg = f"{' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
            raise RuntimeError(msg)
        return result.stdout

    def make_folders(self) -> None:
        """The server's folder and socket folder, owned by whoever runs it."""
        self.socket_dir.mkdir(parents=True)
        if self._as_root:
            shutil.chown(self.root, "postgres")
            shutil.chown(self.socket_dir, "postgres")

    def start(self) -> None:
        self.make_folders()
        self._run(
            str(POSTGRES_BIN / "initdb"),
            "--pgdata", str(self.data),
            "--username", "postgres",
            "--auth-local", "trust",
            "--auth-host", "scram-sha-256",
            "--encoding", "UTF8",
            "--locale", "C",
        )  # fmt: skip
        self.resume()
        password = APP_PASSWORD.replace("'", "''")
        self.sql(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{password}'")

    def resume(self) -> None:
        """Start (or restart) the server on the existing data directory."""
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.socket_dir} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        self._run(
            str(POSTGRES_BIN / "pg_ctl"),
            "--pgdata", str(self.data),
            "--log", str(self.root / "server.log"),
            "--options", options,
            "--wait",
            "start",
        )  # fmt: skip

    def pause(self) -> None:
        """Stop the server, keeping its data (for restart tests)."""
        self._run(
            str(POSTGRES_BIN / "pg_ctl"),
            "--pgdata", str(self.data),
            "--mode", "fast",
            "--wait",
            "stop",
        )  # fmt: skip

    def stop(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self.pause()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement as the superuser, over the unix socket."""
        return self._run(
            str(POSTGRES_BIN / "psql"),
            "--no-psqlrc", "--quiet", "--tuples-only", "--no-align",
            "--set", "ON_ERROR_STOP=1",
            "--host", str(self.socket_dir),
            "--port", str(self.port),
            "--username", "postgres",
            "--dbname", database,
            "--command", statement,
        )  # fmt: skip

    def create_database(self, name: str) -> str:
        """A new, empty database owned by the app role; returns its URL."""
        self.sql(f'CREATE DATABASE "{name}" OWNER {APP_ROLE}')
        return self.url(name)

    def create_role(self, name: str, password: str) -> None:
        """A login role that may create databases."""
        quoted = password.replace("'", "''")
        self.sql(f"CREATE ROLE {name} LOGIN CREATEDB PASSWORD '{quoted}'")

    def url(
        self,
        database: str,
        *,
        scheme: str = "postgresql+psycopg",
        role: str = APP_ROLE,
        password: str = APP_PASSWORD,
        port: int | None = None,
    ) -> str:
        """A TCP URL of `database` (through `port` if given: a pooler's)."""
        secret = quote(password, safe="")
        return f"{scheme}://{role}:{secret}@127.0.0.1:{port or self.port}/{database}"

    def trusted_url(self, database: str) -> str:
        """A URL over the unix socket, where the server trusts every local user:
        no password is asked for, so a wrong one is not refused either."""
        return (
            f"postgresql+psycopg://{APP_ROLE}@/{database}"
            f"?host={self.socket_dir}&port={self.port}"
        )
