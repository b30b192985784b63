"""A throwaway MariaDB server for the test session.

Debian's MariaDB 10.11 binaries (mariadb-server-core, mariadb-client-core), a data
directory in a temporary folder, listening on a unix socket in that folder and on
127.0.0.1 only. As root, mariadbd runs with --user=root (it refuses root
otherwise, and the temporary folder is root's). The server's character set,
collation and SQL mode are set explicitly: a server started without defaults
speaks latin1 and accepts truncated values. Clients connect over TCP as APP_USER,
whose password holds the characters URLs and ConfigParser trip on.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from tests.postgres_server import free_port

MARIADB_BIN = Path(os.environ.get("MARIADB_BIN", "/usr/bin"))
MARIADB_SBIN = Path(os.environ.get("MARIADB_SBIN", "/usr/sbin"))
APP_USER = "app"
APP_PASSWORD = "p%ss@w/rd:50%"
# What a generated project sets on each connection anyway; the server default too,
# so that the tests' own SQL (through the client) meets the same rules.
SQL_MODE = "STRICT_ALL_TABLES,NO_ZERO_DATE,NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION"


class MariaDBServer:
    """Start with `start()`, stop with `stop()`; `url(database)` for clients."""

    def __init__(self) -> None:
        if not (MARIADB_SBIN / "mariadbd").exists():
            msg = (
                f"MariaDB server binaries not found in {MARIADB_SBIN}: install "
                "Debian's mariadb-server-core and mariadb-client-core "
                "(or set MARIADB_SBIN and MARIADB_BIN)"
            )
            raise RuntimeError(msg)
        # In memory where the machine has it: MariaDB syncs every DDL statement's
        # files, which on disk doubles the time of a schema-changing revision.
        memory = Path("/dev/shm")
        self.root = Path(
            tempfile.mkdtemp(
                prefix="copier-sqlalchemy-mariadb-",
                dir=memory if memory.is_dir() else None,
            )
        )
        self.data = self.root / "data"
        self.socket = self.root / "mariadb.sock"
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    def _user(self) -> list[str]:
        return ["--user=root"] if os.geteuid() == 0 else []

    def start(self) -> None:
        result = subprocess.run(
            [
                str(MARIADB_BIN / "mariadb-install-db"),
                "--no-defaults",
                *self._user(),
                f"--datadir={self.data}",
                "--auth-root-authentication-method=socket",
                "--skip-test-db",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            msg = f"mariadb-install-db failed:\n{result.stdout}\n{result.stderr}"
            raise RuntimeError(msg)
        self.resume()
        password = APP_PASSWORD.replace("\\", "\\\\").replace("'", "\\'")
        self.sql(
            f"CREATE USER '{APP_USER}'@'127.0.0.1' IDENTIFIED BY '{password}';"
            f"CREATE USER '{APP_USER}'@'localhost' IDENTIFIED BY '{password}'"
        )

    def resume(self) -> None:
        """Start (or restart) the server on the existing data directory."""
        log = (self.root / "server.log").open("ab")
        self._process = subprocess.Popen(
            [
                str(MARIADB_SBIN / "mariadbd"),
                "--no-defaults",
                *self._user(),
                f"--datadir={self.data}",
                f"--socket={self.socket}",
                "--bind-address=127.0.0.1",
                f"--port={self.port}",
                f"--pid-file={self.root / 'mariadbd.pid'}",
                "--character-set-server=utf8mb4",
                "--collation-server=utf8mb4_nopad_bin",
                f"--sql-mode={SQL_MODE}",
                "--default-time-zone=+00:00",
                "--skip-name-resolve",
                "--max-connections=300",
                # Throwaway data: no flush on commit, small buffers.
                "--innodb-flush-log-at-trx-commit=0",
                "--innodb-doublewrite=0",
                "--innodb-buffer-pool-size=64M",
                "--skip-log-bin",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                msg = f"mariadbd exited:\n{(self.root / 'server.log').read_text()}"
                raise RuntimeError(msg)
            if self._answers():
                return
            time.sleep(0.1)
        msg = f"mariadbd did not start:\n{(self.root / 'server.log').read_text()}"
        raise RuntimeError(msg)

    def _answers(self) -> bool:
        if not self.socket.exists():
            return False
        result = subprocess.run(
            self._client("SELECT 1"), capture_output=True, check=False
        )
        return result.returncode == 0

    def pause(self) -> None:
        """Stop the server, keeping its data (for restart tests)."""
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=60)
            self._process = None

    def stop(self) -> None:
        try:
            self.pause()
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def _client(self, statement: str, database: str | None = None) -> list[str]:
        return [
            str(MARIADB_BIN / "mariadb"),
            "--no-defaults",
            f"--socket={self.socket}",
            "--user=root",
            "--batch",
            "--skip-column-names",
            "--default-character-set=utf8mb4",
            *([database] if database else []),
            "--execute",
            statement,
        ]

    def sql(self, statement: str, database: str | None = None) -> str:
        """Run statements as root over the unix socket; returns what they print."""
        result = subprocess.run(
            self._client(statement, database),
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            msg = f"{statement} failed:\n{result.stdout}\n{result.stderr}"
            raise RuntimeError(msg)
        return result.stdout

    def create_database(self, name: str) -> str:
        """A new, empty database the app user owns; returns its URL."""
        self.sql(
            f"CREATE DATABASE `{name}`;"
            f"GRANT ALL ON `{name}`.* TO '{APP_USER}'@'127.0.0.1';"
            f"GRANT ALL ON `{name}`.* TO '{APP_USER}'@'localhost'"
        )
        return self.url(name)

    def url(
        self,
        database: str,
        *,
        scheme: str = "mariadb+pymysql",
        user: str = APP_USER,
        password: str = APP_PASSWORD,
    ) -> str:
        """A TCP URL of `database`."""
        secret = quote(password, safe="")
        return f"{scheme}://{user}:{secret}@127.0.0.1:{self.port}/{database}"

    def socket_url(self, database: str) -> str:
        """A URL over the unix socket: host and port are not in it."""
        secret = quote(APP_PASSWORD, safe="")
        return (
            f"mariadb+pymysql://{APP_USER}:{secret}@localhost/{database}"
            f"?unix_socket={self.socket}"
        )
