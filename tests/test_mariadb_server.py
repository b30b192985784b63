"""The session's MariaDB server is what the MariaDB tests assume: utf8mb4 with a
collation that compares as PostgreSQL does, strict SQL mode, UTC, and the app
user's awkward password accepted over TCP."""

from __future__ import annotations

import subprocess

import pytest

from tests.mariadb_server import APP_PASSWORD, APP_USER, MARIADB_BIN, MariaDBServer

pytestmark = pytest.mark.mariadb


def test_the_server_speaks_utf8mb4_strictly_in_utc(mariadb: MariaDBServer) -> None:
    settings = mariadb.sql(
        "SELECT @@character_set_server, @@collation_server, @@sql_mode, @@time_zone"
    ).split("\t")

    assert settings[:2] == ["utf8mb4", "utf8mb4_nopad_bin"]
    assert "STRICT_ALL_TABLES" in settings[2]
    assert settings[3].strip() == "+00:00"


def test_the_app_user_logs_in_over_tcp(mariadb: MariaDBServer) -> None:
    mariadb.create_database("login_probe")

    client = [
        str(MARIADB_BIN / "mariadb"), "--no-defaults", "--protocol=tcp",
        "--host=127.0.0.1", f"--port={mariadb.port}",
        f"--user={APP_USER}", f"--password={APP_PASSWORD}",
        "--batch", "--skip-column-names", "login_probe",
    ]  # fmt: skip

    result = subprocess.run(
        [*client, "--execute", "SELECT CURRENT_USER()"],
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == f"{APP_USER}@127.0.0.1"
