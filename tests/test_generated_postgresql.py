"""Generated PostgreSQL projects pass their own checks on a real server."""

from __future__ import annotations

import itertools
import subprocess
import textwrap
from pathlib import Path

import pytest

from tests.checks import alembic
from tests.conftest import GenerateProject
from tests.model_sets import MODEL_SETS
from tests.postgres_server import APP_PASSWORD, PostgresServer
from tests.tooling import Project

pytestmark = pytest.mark.postgresql

_database_numbers = itertools.count()


@pytest.fixture(scope="module", params=sorted(MODEL_SETS))
def project(request: pytest.FixtureRequest, generate: GenerateProject) -> Project:
    return generate(
        f"pg_{request.param}", {"database": "postgresql", **MODEL_SETS[request.param]}
    )


def fresh_database(postgres: PostgresServer) -> str:
    return postgres.create_database(f"fresh_{next(_database_numbers)}")


def test_its_test_suite_passes(project: Project, postgres: PostgresServer) -> None:
    test_url = postgres.create_database(f"{project.package}_test")

    output = project.run(
        "pytest", "-q", "-p", "no:cacheprovider", env={"TEST_DATABASE_URL": test_url}
    ).stdout

    assert " passed" in output
    assert "skipped" not in output


def test_upgrade_head_builds_the_schema_on_a_fresh_database(
    project: Project, postgres: PostgresServer
) -> None:
    output = alembic(project, fresh_database(postgres), "upgrade", "head")

    assert "Running upgrade  -> 0001" in output


def test_check_finds_no_difference_after_upgrade(
    project: Project, postgres: PostgresServer
) -> None:
    url = fresh_database(postgres)
    alembic(project, url, "upgrade", "head")

    output = alembic(project, url, "check")

    assert "No new upgrade operations detected" in output


def test_downgrade_to_base_leaves_nothing_and_upgrade_works_again(
    project: Project, postgres: PostgresServer
) -> None:
    url = fresh_database(postgres)
    database = url.rsplit("/", 1)[1]
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
    output = alembic(project, url, "upgrade", "head")

    assert (tables.strip(), enum_types.strip()) == ("0", "0")
    assert "Running upgrade  -> 0001" in output


def test_the_app_runs_on_the_migrated_database(
    project: Project, postgres: PostgresServer
) -> None:
    url = fresh_database(postgres)
    alembic(project, url, "upgrade", "head")

    output = project.run("python", "-m", project.package, env={"DATABASE_URL": url})

    assert ": 0 rows" in output.stdout
    assert APP_PASSWORD not in output.stdout + output.stderr


def test_ruff_check_is_clean(project: Project) -> None:
    project.run("ruff", "check", "--no-cache")


def test_ruff_format_is_clean(project: Project) -> None:
    project.run("ruff", "format", "--check", "--no-cache")


def test_mypy_strict_is_clean(project: Project, mypy_cache: Path) -> None:
    project.run("mypy", "--cache-dir", str(mypy_cache))


def test_pytest_without_a_test_database_stops_with_directions(
    generate: GenerateProject,
) -> None:
    project = generate("pg_defaults", {"database": "postgresql"})

    result = project.run("pytest", "-q", "-p", "no:cacheprovider", check=False)

    assert result.returncode != 0
    assert "TEST_DATABASE_URL is not set" in result.stdout + result.stderr
    assert "docker compose up" in result.stdout + result.stderr


def test_pytest_refuses_the_application_database(
    generate: GenerateProject, postgres: PostgresServer
) -> None:
    project = generate("pg_defaults", {"database": "postgresql"})
    url = postgres.url("shared")

    result = project.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        env={"TEST_DATABASE_URL": url, "DATABASE_URL": url},
        check=False,
    )

    assert result.returncode != 0
    assert "same database as DATABASE_URL" in result.stdout + result.stderr


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
    url = fresh_database(postgres)
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
