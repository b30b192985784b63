"""Generated projects pass their own checks, on SQLite and on real PostgreSQL and
MariaDB servers: their pytest suite, Alembic (upgrade, check, downgrade), the app itself,
ruff and mypy --strict."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.alembic_session import Outcome, alembic_session
from tests.mariadb_server import MariaDBServer
from tests.model_sets import (
    ALL_MODEL_SETS,
    MARIADB_DEEP_SETS,
    MARIADB_MODEL_SETS,
    POSTGRESQL_MODEL_SETS,
    SQLITE_MODEL_SETS,
)
from tests.postgres_server import APP_PASSWORD, PostgresServer
from tests.tooling import GenerateProject, Project, alembic

# Sets that differ only in how the answer is written, which the parser layer
# proves in-process (tests/test_parser_matches_copier.py): they repeat the
# other sets' runs, so only DEEP=1 runs them.
SPELLING_SETS = {"mixed", "one_model_list"}
# The hundred-model project's run costs what three others do; the diagrams and
# the generative draws pack many models by default.
DEEP_SETS = {*SPELLING_SETS, "hundred_models"}

CASES = (
    [
        pytest.param(
            ("sqlite", name),
            id=f"sqlite-{name}",
            marks=[pytest.mark.deep] if name in DEEP_SETS else [],
        )
        for name in sorted(SQLITE_MODEL_SETS)
    ]
    + [
        pytest.param(
            ("postgresql", name),
            id=f"postgresql-{name}",
            marks=[pytest.mark.postgresql]
            + ([pytest.mark.deep] if name in SPELLING_SETS else []),
        )
        for name in sorted(POSTGRESQL_MODEL_SETS)
    ]
    + [
        pytest.param(("mariadb", name), id=f"mariadb-{name}", marks=pytest.mark.mariadb)
        for name in sorted(MARIADB_MODEL_SETS)
    ]
    + [
        pytest.param(
            ("mariadb", name),
            id=f"mariadb-{name}",
            marks=[pytest.mark.mariadb, pytest.mark.deep],
        )
        for name in sorted(MARIADB_DEEP_SETS)
    ]
)

# The name of each database's projects starts with this.
PREFIXES = {"sqlite": "sqlite", "postgresql": "pg", "mariadb": "maria"}

_database_numbers = itertools.count()


@pytest.fixture(scope="module", params=CASES)
def project(request: pytest.FixtureRequest, generate: GenerateProject) -> Project:
    database, name = request.param
    answers = {**ALL_MODEL_SETS[name], "database": database}
    return generate(f"{PREFIXES[database]}_{name}", answers)


def server(
    project: Project, request: pytest.FixtureRequest
) -> PostgresServer | MariaDBServer:
    fixture = "postgres" if project.database == "postgresql" else "mariadb"
    server: PostgresServer | MariaDBServer = request.getfixturevalue(fixture)
    return server


@pytest.fixture
def test_settings(project: Project, request: pytest.FixtureRequest) -> dict[str, str]:
    """What the project's own tests need: nothing on SQLite, a database on a server."""
    if project.database == "sqlite":
        return {}
    database = f"{project.package}_test_{next(_database_numbers)}"
    return {"TEST_DATABASE_URL": server(project, request).create_database(database)}


def test_its_test_suite_passes(project: Project, test_settings: dict[str, str]) -> None:
    output = project.run(
        "pytest", "-q", "-p", "no:cacheprovider", env=test_settings
    ).stdout

    assert " passed" in output
    assert "skipped" not in output


@dataclass(frozen=True)
class RoundTrip:
    """A fresh database taken through the migrations and back, in one Alembic
    session: upgrade head, check, downgrade base, upgrade head again."""

    database_url: str
    outcomes: dict[str, Outcome]

    def output(self, key: str) -> str:
        """What command `key` printed; fails the test if it failed or never ran."""
        __tracebackhide__ = True
        outcome = self.outcomes.get(key)
        if outcome is None or outcome.returncode != 0:
            pytest.fail(f"alembic {key} failed or did not run:\n{self.outcomes}")
        return outcome.output


@pytest.fixture(scope="module")
def round_trip(
    project: Project,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> RoundTrip:
    if project.database == "sqlite":
        folder = tmp_path_factory.mktemp("round_trip")
        url = f"sqlite:///{folder / 'app.sqlite3'}"
    else:
        url = server(project, request).create_database(
            f"fresh_{next(_database_numbers)}"
        )
    commands = [
        ("upgrade", ["upgrade", "head"], True),
        ("check", ["check"], False),
        ("downgrade", ["downgrade", "base"], True),
        ("upgrade again", ["upgrade", "head"], True),
    ]
    return RoundTrip(url, alembic_session(project, url, commands))


def test_upgrade_head_builds_the_schema_on_a_fresh_database(
    round_trip: RoundTrip,
) -> None:
    assert "Running upgrade  -> 0001" in round_trip.output("upgrade")


def test_check_finds_no_difference_after_upgrade(round_trip: RoundTrip) -> None:
    assert "No new upgrade operations detected" in round_trip.output("check")


def test_downgrade_to_base_then_upgrade_again(round_trip: RoundTrip) -> None:
    assert "Running downgrade 0001 -> " in round_trip.output("downgrade")
    assert "Running upgrade  -> 0001" in round_trip.output("upgrade again")


def test_the_app_runs_on_the_migrated_database(
    project: Project, round_trip: RoundTrip
) -> None:
    round_trip.output("upgrade again")

    result = project.run(
        "python", "-m", project.package, env={"DATABASE_URL": round_trip.database_url}
    )

    assert ": 0 rows" in result.stdout
    assert APP_PASSWORD not in result.stdout + result.stderr


def test_ruff_check_is_clean(project: Project) -> None:
    project.run("ruff", "check", "--no-cache")


def test_ruff_format_is_clean(project: Project) -> None:
    project.run("ruff", "format", "--check", "--no-cache")


def test_mypy_strict_is_clean(project: Project, mypy_cache: Path) -> None:
    project.run("mypy", "--cache-dir", str(mypy_cache))


def test_autogenerate_without_a_model_change_writes_no_revision(
    generate: GenerateProject, tmp_path: Path
) -> None:
    project = generate("sqlite_defaults", SQLITE_MODEL_SETS["defaults"])
    url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    alembic(project, url, "upgrade", "head")
    before = sorted((project.root / "migrations" / "versions").glob("*.py"))

    alembic(project, url, "revision", "--autogenerate", "-m", "nothing changed")

    assert sorted((project.root / "migrations" / "versions").glob("*.py")) == before


@pytest.mark.parametrize("name", ["aardvark_shop", "web_shop", "zz_top"])
def test_ruff_is_clean_wherever_the_package_name_sorts(
    generate: GenerateProject, name: str
) -> None:
    project = generate(name, {"models": {"User": "name:str", "Post": "by:User"}})

    project.run("ruff", "check", "--no-cache")
    project.run("ruff", "format", "--check", "--no-cache")


# The longest names the validator takes: a 40-character package, models whose
# tables reach 28 characters, 25-character fields; every kind of field, so that
# every generated line that is built from names must lay itself out.
LONGEST_NAMES = {
    "Parentmodelwithlongestname": (
        "statusfieldwithlongestnam:enum{draft,live}=draft"
        " amountfieldwithlongestnam:decimal{10,2}=0 payloadfieldwithlongestna:json?"
        " uuidfieldwithlongestnames:uuid=new"
    ),
    "Childmodelwithlongestnames": (
        "parentfieldwithlongestnam:Parentmodelwithlongestname:cascade"
        " onetoonefieldwithlongestn:Parentmodelwithlongestname?:unique:setnull"
        " selffieldwithlongestnames:Childmodelwithlongestnames?:setnull"
    ),
    # A many-to-many names its association table and constraints after both
    # sides: it is the short side here, or the names pass PostgreSQL's 63.
    "Tag": "parentmodelwithlongestnam:Parentmodelwithlongestname[]",
}


@pytest.mark.parametrize("session_api", ["sync", "async"])
@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_the_longest_names_give_a_ruff_clean_project(
    generate: GenerateProject, database: str, session_api: str
) -> None:
    name = f"longest_{database[:6]}_{session_api[:5]}".ljust(40, "x")
    answers = {"database": database, "session_api": session_api}
    project = generate(name, {**answers, "models": LONGEST_NAMES})

    project.run("ruff", "check", "--no-cache")
    project.run("ruff", "format", "--check", "--no-cache")
