"""The schema-evolution matrix: a project's schema evolves the way its user evolves
it, and every revision that path produces works on both databases.

One project per database walks the steps of tests/evolution_steps.py. Each step is
what a user does: change the `models` answer, `copier update`, commit, redraw the
schema diagram and commit, `alembic revision --autogenerate`, `alembic upgrade head`, `alembic check`, `alembic
downgrade -1`, `alembic upgrade head`, commit, and the project's own pytest, over
tables that hold rows (tests/evolution_rows.py): filled before the step, read
after each command, and refused, then decided with `-x`, where they cannot take
the change (DECISIONS). The project's whole suite runs after WHOLE_SUITE_AFTER,
its migration tests (every revision from an empty database and back) after the
last step, and both after every step with DEEP=1: the other steps' models are
the starter tests' of fresh projects too. The steps run once, in order, the first time a test needs
them; every command's outcome is kept and each test below asserts one of them. A SQLite project that has collected
those revisions then switches to PostgreSQL and builds its schema there.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import copier
import pytest

from tests.alembic_session import Outcome, alembic_session
from tests.evolution_rows import (
    ROWS_PER_TABLE,
    Snapshot,
    differences,
    renamed,
    seed_arguments,
    seed_script,
    snapshot_script,
)
from tests.evolution_steps import (
    DECISIONS,
    DOWNGRADE_REFUSED,
    EMPTY_BEFORE,
    INITIAL_MODELS,
    RENAMES,
    STEPS,
    models_on,
)
from tests.mariadb_server import MariaDBServer
from tests.postgres_server import PostgresServer
from tests.tooling import Project, copy_project, git_save

STEP_NAMES = list(STEPS)
CLEAN_CHECK = "No new upgrade operations detected"

# Each flavour walks the steps at least once: migrations are the same for
# both, the starter tests each step runs are not.
SESSION_APIS = {"sqlite": "sync", "postgresql": "async", "mariadb": "sync"}

DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    # PostgreSQL's walk is a deep run's: its DDL runs in a transaction as
    # SQLite's does, and the rows its casts meet are test_existing_rows.py's.
    pytest.param(
        "postgresql",
        id="postgresql",
        marks=[pytest.mark.postgresql, pytest.mark.deep],
    ),
    # MariaDB's runs by default: its DDL commits as it goes, which no other
    # database shows (about 5 minutes of a worker, data in memory).
    pytest.param("mariadb", id="mariadb", marks=pytest.mark.mariadb),
]

# The step after which the project's whole suite runs: every construct is
# there, changed and renamed. Its migration tests run after the last step,
# through every revision from an empty database and back.
WHOLE_SUITE_AFTER = "rename"
DEEP = os.environ.get("DEEP") == "1"


def project_tests(step: str) -> tuple[str, ...] | None:
    """The project's own tests that run after `step`: all of them (an empty
    selection), its migration tests, or none."""
    if DEEP or step == WHOLE_SUITE_AFTER:
        return ()
    if step == STEP_NAMES[-1]:
        return ("tests/test_migrations.py",)
    return None


PROJECT_TEST_STEPS = [step for step in STEP_NAMES if project_tests(step) is not None]


_database_numbers = itertools.count()


@dataclass
class StepRecord:
    """The outcomes of one step's commands, by name, in the order they ran."""

    name: str
    outcomes: dict[str, Outcome] = field(default_factory=dict, repr=False)
    revision: Path | None = None
    # The tables' rows (and the rows the ORM loads, by table) after each
    # command, by the command's key; "seed" is before the step.
    snapshots: dict[str, Snapshot] = field(default_factory=dict, repr=False)
    loaded: dict[str, dict[str, int | str]] = field(default_factory=dict, repr=False)
    # The revision files autogenerate left when it was to refuse.
    written_when_refused: set[Path] = field(default_factory=set)

    def rows(self, key: str) -> Snapshot:
        """The rows after `key`; fails the test if they were not read."""
        __tracebackhide__ = True
        if key not in ("refused", "downgrade"):
            self.passed(key)
        if key not in self.snapshots:
            self.passed(f"rows after {key}")
        return self.snapshots[key]

    def add(self, key: str, outcome: Outcome) -> bool:
        self.outcomes[key] = outcome
        return outcome.returncode == 0

    def ok(self, key: str) -> bool:
        return key in self.outcomes and self.outcomes[key].returncode == 0

    def passed(self, key: str) -> Outcome:
        """The outcome of `key`; fails the test if it failed or never ran."""
        __tracebackhide__ = True
        if key not in self.outcomes:
            failed = [o for o in self.outcomes.values() if o.returncode != 0]
            detail = (
                f" `{failed[0].command}` failed first:\n{tail(failed[0].output)}"
                if failed
                else ""
            )
            pytest.fail(f"step {self.name}: {key} did not run.{detail}")
        outcome = self.outcomes[key]
        if outcome.returncode != 0:
            pytest.fail(
                f"step {self.name}: `{outcome.command}` failed "
                f"(exit {outcome.returncode}):\n{tail(outcome.output)}"
            )
        return outcome

    @property
    def at_head(self) -> bool:
        """Whether the step left the database at its new head revision."""
        return self.ok("upgrade again") or self.ok("recover")


def tail(output: str, lines: int = 25) -> str:
    """The end of a command's output, where its error is, without the frames of
    Python tracebacks."""
    kept = [line for line in output.splitlines() if not line.startswith("  ")]
    return "\n".join(kept[-lines:])


def run(project: Project, *command: str, env: dict[str, str] | None = None) -> Outcome:
    result = project.run(*command, env=env, check=False)
    return Outcome(" ".join(command), result.returncode, result.stdout + result.stderr)


def update(root: Path, data: dict[str, object]) -> Outcome:
    """`copier update` with new answers, as a user runs it; errors become outcomes."""
    try:
        copier.run_update(
            str(root),
            data=data,
            defaults=True,
            overwrite=True,
            quiet=True,
            vcs_ref="HEAD",
            conflict="inline",
        )
    except Exception:  # the test that needs the update reports it
        return Outcome("copier update", 1, traceback.format_exc())
    return Outcome("copier update", 0, "")


class Evolution:
    """One project walking the steps against its own database, kept at head."""

    def __init__(
        self,
        project: Project,
        database_url: str,
        test_settings: Callable[[], dict[str, str]],
    ) -> None:
        self.project = project
        self.database_url = database_url
        self.test_settings = test_settings
        self.records: dict[str, StepRecord] = {}

    def alembic(self, *commands: tuple[str, list[str], bool]) -> dict[str, Outcome]:
        return alembic_session(self.project, self.database_url, list(commands))

    def python(self, script: str, *args: str) -> Outcome:
        env = {"DATABASE_URL": self.database_url}
        return run(self.project, "python", "-c", script, *args, env=env)

    def snapshot(self, record: StepRecord, after: str, *, load: bool) -> None:
        """Read the tables' rows after the command `after`."""
        script = snapshot_script(self.project.package)
        result = self.project.run(
            "python",
            "-c",
            script,
            *(["load"] if load else []),
            env={"DATABASE_URL": self.database_url},
            check=False,
        )
        output = result.stdout + result.stderr
        outcome = Outcome(f"rows after {after}", result.returncode, output)
        if record.add(f"rows after {after}", outcome):
            read = json.loads(result.stdout)
            record.snapshots[after] = read["tables"]
            record.loaded[after] = read["loaded"]

    def at(self, step: str) -> StepRecord:
        """The record of `step`, running it (and the steps before it) first."""
        for name in STEP_NAMES[: STEP_NAMES.index(step) + 1]:
            if name not in self.records:
                self.records[name] = self._walk(name)
        return self.records[step]

    def _walk(self, step: str) -> StepRecord:
        record = StepRecord(step)
        index = STEP_NAMES.index(step)
        if index and not self.records[STEP_NAMES[index - 1]].at_head:
            message = f"step {STEP_NAMES[index - 1]} left the database behind head"
            record.add("blocked", Outcome("the previous step", 1, message))
            return record
        root = self.project.root
        script = seed_script(self.project.package)
        skipped = EMPTY_BEFORE.get(step, set())
        if not record.add("seed", self.python(script, *seed_arguments(skipped))):
            return record
        self.snapshot(record, "seed", load=True)
        models = models_on(self.project.database, STEPS[step])
        if not record.add("update", update(root, {"models": models})):
            return record
        git_save(root, f"models: {step}")
        script = ("python", "scripts/check_conflicts.py")
        if not record.add("conflicts", run(self.project, *script)):
            return record
        redraw = ("python", "-m", self.project.package, "diagram", "--write")
        if not record.add("diagram", run(self.project, *redraw)):
            return record
        git_save(root, f"diagram: {step}")
        versions = root / "migrations" / "versions"
        before = set(versions.glob("*.py"))
        autogenerate = ["revision", "--autogenerate", "-m", step]
        decided = []
        if step in DECISIONS:
            refused = self.alembic(("refused", autogenerate, False))["refused"]
            record.add("refused", refused)
            record.written_when_refused = set(versions.glob("*.py")) - before
            for path in record.written_when_refused:
                path.unlink()
            self.snapshot(record, "refused", load=False)
            decided = [a for d in DECISIONS[step] for a in ("-x", d.argument)]
        # As in a user's shell, the revision gets an interpreter of its own: the
        # enum rules rewrite the models' column types in memory as they write it.
        revision = self.alembic(("revision", [*decided, *autogenerate], True))
        if record.add("revision", revision["revision"]):
            outcomes = self.alembic(
                ("upgrade", ["upgrade", "head"], True),
                ("check", ["check"], False),
            )
            for key, outcome in outcomes.items():
                record.add(key, outcome)
        if record.ok("upgrade"):
            self.snapshot(record, "upgrade", load=True)
            downgrade = self.alembic(("downgrade", ["downgrade", "-1"], True))
            record.add("downgrade", downgrade["downgrade"])
            self.snapshot(record, "downgrade", load=False)
        if record.ok("downgrade"):
            again = self.alembic(("upgrade again", ["upgrade", "head"], True))
            if record.add("upgrade again", again["upgrade again"]):
                self.snapshot(record, "upgrade again", load=True)
        if not record.ok("revision"):
            return record
        (record.revision,) = set(versions.glob("*.py")) - before
        git_save(root, f"revision: {step}")
        selection = project_tests(step)
        if selection is not None:
            pytest_command = ("pytest", "-q", "-p", "no:cacheprovider", *selection)
            env = self.test_settings()
            record.add("pytest", run(self.project, *pytest_command, env=env))
        if not record.at_head:
            # A migration that failed may have left the database where it was
            # (PostgreSQL rolls it back): then the next step still runs.
            recover = self.alembic(("recover", ["upgrade", "head"], True))
            record.add("recover", recover["recover"])
        return record


Server = PostgresServer | MariaDBServer
EvolutionOf = Callable[[str, Server | None], Evolution]


@pytest.fixture(scope="module")
def evolutions(
    template: Path, project_bin: Path, tmp_path_factory: pytest.TempPathFactory
) -> EvolutionOf:
    """The evolving project of a database (PostgreSQL's on `server`): generated with
    INITIAL_MODELS, committed and migrated to head the first time it is asked for."""
    made: dict[str, Evolution] = {}

    def get(database: str, server: Server | None = None) -> Evolution:
        if database in made:
            return made[database]
        name = f"evolving_{database}"
        root = copy_project(
            template,
            tmp_path_factory.mktemp(name) / name,
            {
                "project_name": name.replace("_", " ").title(),
                "database": database,
                "session_api": SESSION_APIS[database],
                "models": models_on(database, INITIAL_MODELS),
            },
        )
        git_save(root, "generated")
        project = Project(root=root, bin=project_bin, package=name, database=database)
        if server is None:
            folder = tmp_path_factory.mktemp(f"{name}_database")
            url = f"sqlite:///{folder / 'app.sqlite3'}"

            def settings() -> dict[str, str]:
                return {}
        else:
            url = server.create_database(f"{name}_app")

            def settings() -> dict[str, str]:
                assert server is not None
                test_database = f"{name}_test_{next(_database_numbers)}"
                return {"TEST_DATABASE_URL": server.create_database(test_database)}

        evolution = Evolution(project, url, settings)
        initial = evolution.alembic(("upgrade", ["upgrade", "head"], True))
        assert initial["upgrade"].returncode == 0, initial["upgrade"].output
        made[database] = evolution
        return evolution

    return get


@pytest.fixture(scope="module", params=DATABASES)
def evolution(request: pytest.FixtureRequest, evolutions: EvolutionOf) -> Evolution:
    if request.param == "sqlite":
        return evolutions("sqlite", None)
    server = {"postgresql": "postgres", "mariadb": "mariadb"}[request.param]
    return evolutions(request.param, request.getfixturevalue(server))


@pytest.mark.parametrize("step", STEP_NAMES)
def test_copier_update_applies_the_models_without_conflicts(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)

    record.passed("update")
    record.passed("conflicts")


@pytest.mark.parametrize("step", STEP_NAMES)
def test_autogenerate_writes_one_lint_clean_revision(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)
    record.passed("revision")
    assert record.revision is not None

    evolution.project.run("ruff", "check", "--no-cache", str(record.revision))
    evolution.project.run(
        "ruff", "format", "--check", "--no-cache", str(record.revision)
    )


@pytest.mark.parametrize("step", STEP_NAMES)
def test_the_revision_upgrades(evolution: Evolution, step: str) -> None:
    output = evolution.at(step).passed("upgrade").output

    assert "Running upgrade" in output


@pytest.mark.parametrize("step", STEP_NAMES)
def test_check_finds_no_difference_after_the_upgrade(
    evolution: Evolution, step: str
) -> None:
    output = evolution.at(step).passed("check").output

    assert CLEAN_CHECK in output


DOWNGRADING_STEPS = [step for step in STEP_NAMES if step not in DOWNGRADE_REFUSED]


@pytest.mark.parametrize("step", DOWNGRADING_STEPS)
def test_the_revision_downgrades_and_upgrades_again(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)

    assert "Running downgrade" in record.passed("downgrade").output
    assert "Running upgrade" in record.passed("upgrade again").output


@pytest.mark.parametrize("step", PROJECT_TEST_STEPS)
def test_the_project_tests_pass(evolution: Evolution, step: str) -> None:
    output = evolution.at(step).passed("pytest").output

    assert " passed" in output
    assert "skipped" not in output


@pytest.mark.parametrize("step", STEP_NAMES)
def test_every_table_holds_rows_before_the_step(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)

    counts = {table: len(rows) for table, rows in record.rows("seed").items()}
    empty = EMPTY_BEFORE.get(step, set())
    assert counts == {
        table: 0 if table in empty else ROWS_PER_TABLE for table in counts
    }
    loaded = record.loaded["seed"]
    unloaded = [f"{table}: {n}" for table, n in loaded.items() if n != counts[table]]
    assert unloaded == []


DECIDED_STEPS = [step for step in STEP_NAMES if step in DECISIONS]


@pytest.mark.parametrize("step", DECIDED_STEPS)
def test_autogenerate_refuses_what_the_rows_cannot_take_changing_nothing(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)
    refused = record.outcomes["refused"]

    assert refused.returncode != 0
    assert not record.written_when_refused
    assert "no revision was written" in refused.output
    for decision in DECISIONS[step]:
        assert f"  {decision.table}.{decision.column}: 1 rows " in refused.output
        assert f"-x {decision.kind}={decision.table}.{decision.column}" in (
            refused.output
        )
    assert record.rows("refused") == record.rows("seed")


@pytest.mark.parametrize("step", STEP_NAMES)
def test_the_upgrade_keeps_every_row_and_every_value_but_the_decided(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)
    decided = {
        (decision.table, "1", decision.column): decision.kept
        for decision in DECISIONS.get(step, [])
    }
    after = record.rows("upgrade")
    before = renamed(record.rows("seed"), RENAMES.get(step, ({}, {})))

    found = differences(before, after, decided)
    found += [
        f"{table}: the ORM loads {n} of {len(after[table])} rows"
        for table, n in record.loaded["upgrade"].items()
        if n != len(after[table])
    ]

    assert found == []


@pytest.mark.parametrize("step", DOWNGRADING_STEPS)
def test_the_downgrade_and_the_upgrade_again_keep_every_row(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)
    upgraded = record.rows("upgrade")
    downgraded = renamed(record.rows("downgrade"), RENAMES.get(step, ({}, {})))

    assert differences(upgraded, downgraded, {}) == []
    assert differences(upgraded, record.rows("upgrade again"), {}) == []
    assert record.loaded["upgrade again"] == record.loaded["upgrade"]


@pytest.mark.parametrize("step", sorted(RENAMES))
def test_a_rename_keeps_the_rows_and_values_under_the_new_names(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)
    tables, columns = RENAMES[step]
    before = renamed(record.rows("seed"), RENAMES[step])
    after = record.rows("upgrade")

    for table in {*tables.values(), *(table for table, _ in columns)}:
        assert after[table].keys() == before[table].keys(), table
        assert after[table], f"{table} holds no rows to keep"
        for key, row in after[table].items():
            assert row.keys() == before[table][key].keys(), table
    assert differences(before, after, {}) == []
    assert tables.keys().isdisjoint(after)


@pytest.mark.parametrize("step", sorted(DOWNGRADE_REFUSED))
def test_a_downgrade_the_rows_cannot_take_fails_changing_nothing(
    evolution: Evolution, step: str
) -> None:
    record = evolution.at(step)

    assert record.outcomes["downgrade"].returncode != 0
    assert record.rows("downgrade") == record.rows("upgrade")
    record.passed("recover")


def test_the_collected_revisions_pass_mypy(
    evolution: Evolution, mypy_cache: Path
) -> None:
    evolution.at(STEP_NAMES[-1]).passed("revision")

    evolution.project.run("mypy", "--cache-dir", str(mypy_cache), "migrations")


@dataclass(frozen=True)
class Switched:
    """A copy of the SQLite project after every step, switched to PostgreSQL."""

    project: Project
    record: StepRecord
    left_after_downgrade: tuple[str, str] | None


def leftovers(postgres: PostgresServer, database: str) -> tuple[str, str]:
    """The tables (besides alembic_version) and the enum types in `database`."""
    tables = postgres.sql(
        "SELECT coalesce(string_agg(tablename, ','), '') FROM pg_tables "
        "WHERE schemaname = 'public' AND tablename <> 'alembic_version'",
        database,
    )
    enum_types = postgres.sql(
        "SELECT coalesce(string_agg(typname, ','), '') FROM pg_type "
        "WHERE typtype = 'e'",
        database,
    )
    return tables.strip(), enum_types.strip()


# The switch reuses the SQLite walk: run on the worker that walked it (conftest.py
# names the walk's xdist group after the module and its database).
WITH_THE_SQLITE_WALK = pytest.mark.xdist_group("test_evolution-sqlite")


@pytest.fixture(scope="module")
def switched(
    evolutions: EvolutionOf,
    postgres: PostgresServer,
    tmp_path_factory: pytest.TempPathFactory,
) -> Switched:
    """The SQLite project with the revisions of every step (a copy), after `copier
    update --data database=postgresql`: upgraded on an empty PostgreSQL database,
    caught up by one autogenerated revision, checked, downgraded to base and
    upgraded again."""
    sqlite = evolutions("sqlite", None)
    sqlite.at(STEP_NAMES[-1]).passed("revision")
    root = tmp_path_factory.mktemp("switched") / sqlite.project.root.name
    shutil.copytree(sqlite.project.root, root, symlinks=True)
    project = Project(root=root, bin=sqlite.project.bin, package=sqlite.project.package)
    database = "switched_app"
    url = postgres.create_database(database)
    record = StepRecord("switch to postgresql")
    left = None
    if record.add("update", update(root, {"database": "postgresql"})):
        git_save(root, "switch to PostgreSQL")
        for key, outcome in alembic_session(
            project,
            url,
            [
                ("upgrade", ["upgrade", "head"], True),
                # What docs/migrations.md tells a user who moves: SQLite keeps no
                # enum types, so revisions made there cannot drop one or add a
                # value to it; one revision made on PostgreSQL catches up.
                ("catch up", ["revision", "--autogenerate", "-m", "catch up"], True),
                ("upgrade caught up", ["upgrade", "head"], True),
                ("check", ["check"], False),
                ("downgrade", ["downgrade", "base"], True),
            ],
        ).items():
            record.add(key, outcome)
    if record.ok("downgrade"):
        left = leftovers(postgres, database)
        again = alembic_session(project, url, [("again", ["upgrade", "head"], True)])
        record.add("upgrade again", again["again"])
    return Switched(project, record, left)


@pytest.mark.postgresql
@WITH_THE_SQLITE_WALK
def test_switching_to_postgresql_is_one_update(switched: Switched) -> None:
    switched.record.passed("update")

    answers = (switched.project.root / ".copier-answers.yml").read_text()
    assert "database: postgresql" in answers


@pytest.mark.postgresql
@WITH_THE_SQLITE_WALK
def test_a_sqlite_history_upgrades_on_an_empty_postgresql_database(
    switched: Switched,
) -> None:
    output = switched.record.passed("upgrade").output

    assert "Running upgrade  -> 0001" in output


@pytest.mark.postgresql
@WITH_THE_SQLITE_WALK
def test_one_catch_up_revision_leaves_check_clean_on_postgresql(
    switched: Switched,
) -> None:
    switched.record.passed("upgrade caught up")

    assert CLEAN_CHECK in switched.record.passed("check").output


@pytest.mark.postgresql
@WITH_THE_SQLITE_WALK
def test_a_sqlite_history_downgrades_to_base_leaving_no_table_nor_enum_type(
    switched: Switched,
) -> None:
    switched.record.passed("downgrade")

    assert switched.left_after_downgrade == ("", "")


@pytest.mark.postgresql
@WITH_THE_SQLITE_WALK
def test_a_sqlite_history_upgrades_again_on_postgresql(switched: Switched) -> None:
    output = switched.record.passed("upgrade again").output

    assert "Running upgrade  -> 0001" in output
