"""Generated SQLite projects pass their own checks: pytest, Alembic, ruff, mypy."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks import alembic
from tests.conftest import GenerateProject
from tests.model_sets import SQLITE_MODEL_SETS
from tests.tooling import Project


@pytest.fixture(scope="module", params=sorted(SQLITE_MODEL_SETS))
def project(request: pytest.FixtureRequest, generate: GenerateProject) -> Project:
    return generate(f"sqlite_{request.param}", SQLITE_MODEL_SETS[request.param])


def fresh_database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'fresh' / 'app.sqlite3'}"


def test_its_test_suite_passes(project: Project) -> None:
    output = project.run("pytest", "-q", "-p", "no:cacheprovider").stdout

    assert " passed" in output
    assert "skipped" not in output


def test_upgrade_head_builds_the_schema_on_a_fresh_database(
    project: Project, tmp_path: Path
) -> None:
    output = alembic(project, fresh_database(tmp_path), "upgrade", "head")

    assert "Running upgrade  -> 0001" in output


def test_check_finds_no_difference_after_upgrade(
    project: Project, tmp_path: Path
) -> None:
    url = fresh_database(tmp_path)
    alembic(project, url, "upgrade", "head")

    output = alembic(project, url, "check")

    assert "No new upgrade operations detected" in output


def test_downgrade_to_base_then_upgrade_again(project: Project, tmp_path: Path) -> None:
    url = fresh_database(tmp_path)
    alembic(project, url, "upgrade", "head")

    alembic(project, url, "downgrade", "base")
    output = alembic(project, url, "upgrade", "head")

    assert "Running upgrade  -> 0001" in output


def test_the_app_runs_on_the_migrated_database(
    project: Project, tmp_path: Path
) -> None:
    url = fresh_database(tmp_path)
    alembic(project, url, "upgrade", "head")

    output = project.run("python", "-m", project.package, env={"DATABASE_URL": url})

    assert ": 0 rows" in output.stdout


def test_ruff_check_is_clean(project: Project) -> None:
    project.run("ruff", "check", "--no-cache")


def test_ruff_format_is_clean(project: Project) -> None:
    project.run("ruff", "format", "--check", "--no-cache")


def test_mypy_strict_is_clean(project: Project, mypy_cache: Path) -> None:
    project.run("mypy", "--cache-dir", str(mypy_cache))
