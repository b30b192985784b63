"""Servers past one machine, for the scaling-out tests: a streaming replica of a
PostgresServer (pg_basebackup -R) and PgBouncer in transaction pooling mode in
front of it. Debian's binaries; everything on 127.0.0.1 or a unix socket, in
temporary folders, run as the `postgres` user when the tests run as root
(neither initdb nor PgBouncer runs as root)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from tests.postgres_server import (
    APP_PASSWORD,
    APP_ROLE,
    POSTGRES_BIN,
    PostgresServer,
    free_port,
)

PGBOUNCER = Path("/usr/sbin/pgbouncer")


class PostgresReplica(PostgresServer):
    """A hot standby of `primary`, streaming its changes; read-only."""

    def __init__(self, primary: PostgresServer) -> None:
        super().__init__()
        self.primary = primary

    def start(self) -> None:
        self.make_folders()
        # -R writes standby.signal and primary_conninfo: a streaming replica.
        self._run(
            str(POSTGRES_BIN / "pg_basebackup"),
            "--host", str(self.primary.socket_dir),
            "--port", str(self.primary.port),
            "--username", "postgres",
            "--pgdata", str(self.data),
            "--wal-method", "stream",
            "--write-recovery-conf",
            "--checkpoint", "fast",
        )  # fmt: skip
        self.resume()

    def wait_for(self, database: str, timeout: float = 30) -> None:
        """Wait until `database`, made on the primary, has reached the replica."""
        deadline = time.monotonic() + timeout
        query = f"SELECT count(*) FROM pg_database WHERE datname = '{database}'"
        while self.sql(query).strip() != "1":
            if time.monotonic() > deadline:
                msg = f"database {database} did not reach the replica"
                raise TimeoutError(msg)
            time.sleep(0.1)


class PgBouncer:
    """PgBouncer 1.18 in transaction pooling mode in front of `server`, with at
    most `server_connections` server connections per database and role."""

    def __init__(self, server: PostgresServer, server_connections: int) -> None:
        if not PGBOUNCER.exists():
            msg = f"PgBouncer not found at {PGBOUNCER}: install Debian's pgbouncer"
            raise RuntimeError(msg)
        self.server = server
        self.server_connections = server_connections
        self.root = Path(tempfile.mkdtemp(prefix="copier-sqlalchemy-pgbouncer-"))
        self.port = free_port()
        self._process: subprocess.Popen[str] | None = None

    def start(self) -> None:
        users = self.root / "userlist.txt"
        users.write_text(f'"{APP_ROLE}" "{APP_PASSWORD}"\n')
        config = self.root / "pgbouncer.ini"
        config.write_text(
            "[databases]\n"
            f"* = host=127.0.0.1 port={self.server.port}\n"
            "[pgbouncer]\n"
            "listen_addr = 127.0.0.1\n"
            f"listen_port = {self.port}\n"
            "unix_socket_dir =\n"
            "auth_type = scram-sha-256\n"
            f"auth_file = {users}\n"
            "pool_mode = transaction\n"
            f"default_pool_size = {self.server_connections}\n"
            f"max_db_connections = {self.server_connections}\n"
            "max_client_conn = 1000\n"
            f"logfile = {self.root / 'pgbouncer.log'}\n"
        )
        if self.server._as_root:
            shutil.chown(self.root, "postgres")
            for path in (users, config):
                shutil.chown(path, "postgres")
        self._process = subprocess.Popen(
            self.server._command(str(PGBOUNCER), str(config)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        self._wait_until_listening()

    def _wait_until_listening(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            except OSError:
                if time.monotonic() > deadline or (
                    self._process is not None and self._process.poll() is not None
                ):
                    log = self.root / "pgbouncer.log"
                    detail = log.read_text() if log.exists() else "(no log)"
                    msg = f"PgBouncer did not start:\n{detail}"
                    raise RuntimeError(msg) from None
                time.sleep(0.1)
            else:
                return

    def url(self, database: str, *, flag: bool = True) -> str:
        """A URL through PgBouncer; with `flag`, marked `?pgbouncer=true`."""
        url = self.server.url(database, port=self.port)
        return url + ("?pgbouncer=true" if flag else "")

    def stop(self) -> None:
        try:
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()
                self._process.wait(timeout=10)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)
