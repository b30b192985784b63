"""What only PostgreSQL projects do: enum types, a required test database, and
surviving a server restart. The checks shared with SQLite are in
test_generated_projects.py."""

from __future__ import annotations

import itertools
import subprocess
import textwrap
from urllib.parse import urlsplit

import pytest
import yaml

from tests.model_sets import MODEL_SETS
from tests.postgres_server import PostgresServer
from tests.tooling import GenerateProject, alembic

pytestmark = pytest.mark.postgresql

_database_numbers = itertools.count()


def test_downgrade_to_base_leaves_no_table_and_no_enum_type(
    generate: GenerateProject, postgres: PostgresServer
) -> None:
    project = generate("pg_mixed", {**MODEL_SETS["mixed"], "database": "postgresql"})
    database = f"downgraded_{next(_database_numbers)}"
    url = postgres.create_database(database)
    alembic(project, url, "upgrade", "head")

    alembic(project, url, "downgrade", "base")

    tables = postgres.sql(
        "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' "
        "AND tablename <> 'alembic_version'",
        database,
    )
    enum_types = postgres.sql(
        "SELECT count(*) FROM pg_type WHERE typtype = 'e'", database
    )
    assert (tables.strip(), enum_types.strip()) == ("0", "0")


# A URL over a unix socket keeps its host and port in the query: starter tests
# that derive URLs from TEST_DATABASE_URL meet it here, in both flavours.
@pytest.mark.parametrize("session_api", ["sync", "async"])
def test_its_tests_pass_on_a_server_that_trusts_local_connections(
    generate: GenerateProject, postgres: PostgresServer, session_api: str
) -> None:
    project = generate(
        "pg_defaults" if session_api == "sync" else "pg_async_defaults",
        {"database": "postgresql", "session_api": session_api},
    )
    database = f"trusted_{next(_database_numbers)}"
    postgres.create_database(database)

    result = project.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        env={"TEST_DATABASE_URL": postgres.trusted_url(database)},
    )

    assert " passed" in result.stdout


def test_its_tests_pass_when_the_password_is_the_user_name(
    generate: GenerateProject, postgres: PostgresServer
) -> None:
    project = generate("pg_defaults", {"database": "postgresql"})
    postgres.create_role("ci", "ci")
    postgres.sql("CREATE DATABASE ci_test OWNER ci")

    result = project.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        env={"TEST_DATABASE_URL": postgres.url("ci_test", role="ci", password="ci")},
    )

    assert " passed" in result.stdout


def test_the_shipped_credentials_have_a_password_unlike_their_names(
    generate: GenerateProject,
) -> None:
    project = generate("pg_defaults", {"database": "postgresql"})
    compose = yaml.safe_load((project.root / "compose.yaml").read_text())
    workflow = yaml.safe_load((project.root / ".github/workflows/ci.yml").read_text())
    example = (project.root / ".env.example").read_text()
    urls = [
        urlsplit(line.split("=", 1)[1])
        for line in example.splitlines()
        if line.startswith(("DATABASE_URL=", "TEST_DATABASE_URL="))
    ]
    urls += [urlsplit(url) for url in workflow["jobs"]["check"]["env"].values()]
    servers = [
        compose["services"]["db"]["environment"],
        workflow["jobs"]["check"]["services"]["postgres"]["env"],
    ]

    for url in urls:
        assert url.password not in {url.username, url.path.lstrip("/")}, url
    for server in servers:
        password = server["POSTGRES_PASSWORD"]
        assert password not in {server["POSTGRES_USER"], server["POSTGRES_DB"]}


def test_pytest_without_a_test_database_stops_with_directions(
    generate: GenerateProject,
) -> None:
    project = generate("pg_defaults", {"database": "postgresql"})

    result = project.run("pytest", "-q", "-p", "no:cacheprovider", check=False)

    assert result.returncode != 0
    assert "TEST_DATABASE_URL is not set" in result.stdout + result.stderr
    assert "docker compose up" in result.stdout + result.stderr


@pytest.fixture(scope="module")
def app_database(postgres: PostgresServer) -> str:
    """The application's database, holding a table of its own; its URL."""
    url = postgres.create_database("app_data")
    postgres.sql("CREATE TABLE kept (id int)", "app_data")
    return url


# Each reaches the application's database on the real server: a guard that
# compared the URLs' text let these through, and the run emptied it.
@pytest.mark.parametrize(
    "spelling", ["as written", "localhost", "postgres://", "unix socket"]
)
def test_pytest_refuses_the_application_database(
    generate: GenerateProject,
    postgres: PostgresServer,
    app_database: str,
    spelling: str,
) -> None:
    project = generate("pg_defaults", {"database": "postgresql"})
    test_url = {
        "as written": app_database,
        "localhost": app_database.replace("@127.0.0.1:", "@localhost:"),
        "postgres://": postgres.url("app_data", scheme="postgres"),
        "unix socket": postgres.trusted_url("app_data"),
    }[spelling]

    result = project.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        env={"TEST_DATABASE_URL": test_url, "DATABASE_URL": app_database},
        check=False,
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "TEST_DATABASE_URL and DATABASE_URL lead to the same database" in output
    assert postgres.sql("SELECT to_regclass('kept')", "app_data").strip() == "kept"


def test_its_tests_pass_on_a_test_database_behind_the_pooler_flag(
    generate: GenerateProject, postgres: PostgresServer
) -> None:
    project = generate("pg_defaults", {"database": "postgresql"})
    url = postgres.create_database(f"flagged_{next(_database_numbers)}")

    result = project.run(
        "pytest", "-q", "-p", "no:cacheprovider",
        "tests/test_migrations.py", "tests/test_db_session.py",
        env={"TEST_DATABASE_URL": f"{url}?pgbouncer=true"},
    )  # fmt: skip

    assert " passed" in result.stdout


RESTART_PROBE = textwrap.dedent(
    """
    import sys
    from sqlalchemy import text
    from {package}.db_session import DbSession

    DbSession.global_init()
    for attempt in ("before", "after"):
        with DbSession.unit_of_work() as session:
            backend_pid = session.scalar(text("SELECT pg_backend_pid()"))
        print(attempt, backend_pid, flush=True)
        if attempt == "before":
            sys.stdin.readline()  # the test restarts the server meanwhile
    """
)


def test_a_process_survives_a_server_restart_between_units_of_work(
    generate: GenerateProject, postgres: PostgresServer
) -> None:
    project = generate("pg_defaults", {"database": "postgresql"})
    url = postgres.create_database(f"restart_{next(_database_numbers)}")
    probe = project.root / "restart_probe.py"
    probe.write_text(RESTART_PROBE.format(package=project.package))
    process = subprocess.Popen(
        ["python", str(probe)],
        cwd=project.root,
        env=project.environment({"DATABASE_URL": url}),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdin is not None
        before = process.stdout.readline().split()
        postgres.pause()
        postgres.resume()
        process.stdin.write("\n")
        process.stdin.flush()
        stdout, stderr = process.communicate(timeout=60)
    finally:
        probe.unlink()
        if process.poll() is None:
            process.kill()

    assert process.returncode == 0, stderr
    after = stdout.split()
    assert before[0] == "before"
    assert after[0] == "after"
    assert after[1] != before[1]  # a new server connection, after the restart
