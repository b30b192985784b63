"""A project's starter tests pass on the other database, as docs/databases.md
says: a SQLite project's on PostgreSQL once it has the driver PostgreSQL
projects declare, a PostgreSQL project's on SQLite with nothing added. Only the
tests of one database's own behaviour stand aside there, skipped saying so."""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.model_sets import ALL_MODEL_SETS
from tests.postgres_server import PostgresServer
from tests.tooling import TEMPLATE_ROOT, GenerateProject, Project, project_requirements

pytestmark = pytest.mark.postgresql

# The fixed model sets run both ways: blog_shop, which has every construct of
# the language, in both session flavours; with DEEP=1, every_scalar, every type,
# in the sync one (the flavours differ in sessions, not in types; its async pair
# would cost two more projects and two more minutes).
SETS: dict[str, dict[str, Any]] = {
    name: ALL_MODEL_SETS[name]
    for name in ("blog_shop", "async_blog_shop", "every_scalar")
}
DEEP_SETS = {"every_scalar"}

# What a starter test of one database's own behaviour says when it stands aside.
ONE_DATABASE_SKIP = "tests {database} only; TEST_DATABASE_URL is {other}"

_database_numbers = itertools.count()


@dataclass(frozen=True)
class Pair:
    """The SQLite and the PostgreSQL project of one set of answers."""

    sqlite: Project
    postgresql: Project


@dataclass(frozen=True)
class Outcome:
    """What one run of a project's pytest did, test by test."""

    failed: list[str]
    skipped: dict[str, str]  # test -> reason
    passed: int
    output: str

    def summary(self) -> str:
        """The run's short test summary: each failure named, with its error."""
        return self.output.rpartition("short test summary info")[2] or self.output


def requirements(project: Project) -> set[str]:
    return set(project_requirements(project.root))


@pytest.fixture(
    scope="module",
    params=[
        pytest.param(name, marks=[pytest.mark.deep] if name in DEEP_SETS else [])
        for name in sorted(SETS)
    ],
)
def pair(request: pytest.FixtureRequest, generate: GenerateProject) -> Pair:
    name = request.param
    return Pair(
        sqlite=generate(f"sqlite_{name}", {**SETS[name], "database": "sqlite"}),
        postgresql=generate(f"pg_{name}", {**SETS[name], "database": "postgresql"}),
    )


def run_pytest(project: Project, test_database_url: str, report: Path) -> Outcome:
    result = project.run(
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={report}",
        env={"TEST_DATABASE_URL": test_database_url},
        check=False,
    )
    failed, skipped, passed = [], {}, 0
    for case in ElementTree.parse(report).iter("testcase"):
        test = f"{case.get('classname')}.{case.get('name')}"
        if case.find("failure") is not None or case.find("error") is not None:
            failed.append(test)
        elif (skip := case.find("skipped")) is not None:
            skipped[test] = skip.get("message", "")
        else:
            passed += 1
    return Outcome(failed, skipped, passed, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def sqlite_project_on_postgresql(
    pair: Pair,
    environment_for: Callable[..., Path],
    postgres: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Outcome:
    """The SQLite project's own pytest against PostgreSQL, in an environment with
    what it declares plus what a PostgreSQL project declares beyond that."""
    added = requirements(pair.postgresql) - requirements(pair.sqlite)
    project = Project(
        root=pair.sqlite.root,
        bin=environment_for(pair.sqlite.root, added),
        package=pair.sqlite.package,
    )
    url = postgres.create_database(f"switched_{next(_database_numbers)}")
    report = tmp_path_factory.mktemp("report") / "junit.xml"
    return run_pytest(project, url, report)


@pytest.fixture(scope="module")
def postgresql_project_on_sqlite(
    pair: Pair, tmp_path_factory: pytest.TempPathFactory
) -> Outcome:
    """The PostgreSQL project's own pytest against a SQLite file, in the
    environment of exactly what it declares."""
    folder = tmp_path_factory.mktemp("switched")
    return run_pytest(
        pair.postgresql, str(folder / "test.sqlite3"), folder / "junit.xml"
    )


def test_a_sqlite_project_needs_only_the_documented_driver_on_postgresql(
    pair: Pair,
) -> None:
    (added,) = requirements(pair.postgresql) - requirements(pair.sqlite)
    docs = (TEMPLATE_ROOT / "docs" / "databases.md").read_text()

    assert added.startswith("psycopg[binary]")
    assert f'uv add "{added}"' in docs


def test_a_postgresql_project_needs_nothing_more_on_sqlite(pair: Pair) -> None:
    assert requirements(pair.sqlite) - requirements(pair.postgresql) == set()


def test_a_sqlite_projects_tests_pass_on_postgresql(
    sqlite_project_on_postgresql: Outcome,
) -> None:
    outcome = sqlite_project_on_postgresql

    assert outcome.failed == [], outcome.summary()
    assert outcome.passed > 0


def test_a_postgresql_projects_tests_pass_on_sqlite(
    postgresql_project_on_sqlite: Outcome,
) -> None:
    outcome = postgresql_project_on_sqlite

    assert outcome.failed == [], outcome.summary()
    assert outcome.passed > 0


def one_database_skips(outcome: Outcome, database: str, other: str) -> dict[str, str]:
    """The tests `outcome` skipped for a reason other than testing `database`'s
    own behaviour."""
    assert outcome.skipped, "no test of one database's own behaviour stood aside"
    reason = ONE_DATABASE_SKIP.format(database=database, other=other)
    return {
        test: message
        for test, message in outcome.skipped.items()
        if not message.endswith(reason)
    }


def test_on_postgresql_only_tests_of_sqlite_itself_are_skipped(
    sqlite_project_on_postgresql: Outcome,
) -> None:
    assert (
        one_database_skips(sqlite_project_on_postgresql, "SQLite", "postgresql") == {}
    )


def test_on_sqlite_only_tests_of_postgresql_itself_are_skipped(
    postgresql_project_on_sqlite: Outcome,
) -> None:
    assert (
        one_database_skips(postgresql_project_on_sqlite, "PostgreSQL", "sqlite") == {}
    )
