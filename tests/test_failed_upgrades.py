"""A failed `alembic upgrade` leaves no trace: schema, rows and alembic_version
as they were, on SQLite as on PostgreSQL, and running it again fails the same
way until the data is fixed.

One project per database, each test on a database of its own: migrated to the
initial revision, filled with ROWS, then upgraded through revisions written as
a user adjusts them (batch mode, which SQLite runs as a table copy and
PostgreSQL as ALTER statements). Failures are forced at several points: while
a batch copies the rows, after it has swapped the copy in, and in the last
step of a revision (or the last revision of an upgrade) whose earlier ones
succeed.
"""

from __future__ import annotations

import itertools
import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.alembic_session import Outcome, alembic_session
from tests.mariadb_server import MariaDBServer
from tests.postgres_server import PostgresServer
from tests.tooling import Project, copy_project

MODELS = {
    "Author": "name:str{80}",
    "Post": "title:str{80} body:text? score:int? author:Author:cascade",
}

ROWS = [
    "INSERT INTO authors (id, name) VALUES (1, 'Ann'), (2, 'Bob')",
    "INSERT INTO posts (id, title, body, score, author_id) VALUES "
    "(1, 'Same', NULL, -1, 1), (2, 'Same', 'two', 5, 1), "
    f"(3, '{'x' * 60}', '{'y' * 600}', 3, 2), (4, 'Four', 'four', NULL, 2)",
]

# Row 3 given its long values again.
ROWS_MADE_LONG = [
    f"UPDATE posts SET title = '{'x' * 60}', body = '{'y' * 600}' WHERE id = 3"
]

# Run in the project's interpreter: `sql` runs statements in one transaction;
# `snapshot` prints what a failed upgrade must leave unchanged.
DATABASE_SCRIPT = """
import json, sys
from sqlalchemy import create_engine, inspect, pool, text

url, action, statements = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
engine = create_engine(url, poolclass=pool.NullPool)
with engine.begin() as connection:
    if action == "sql":
        for statement in statements:
            connection.execute(text(statement))
    else:
        inspector = inspect(connection)
        snapshot = {}
        for table in sorted(inspector.get_table_names()):
            snapshot[table] = {
                "columns": [
                    [c["name"], str(c["type"]), c["nullable"], str(c["default"])]
                    for c in inspector.get_columns(table)
                ],
                "keys": inspector.get_foreign_keys(table),
                "indexes": sorted(
                    (i["name"], i["column_names"], bool(i["unique"]))
                    for i in inspector.get_indexes(table)
                ),
                "unique": sorted(
                    (u["name"], u["column_names"])
                    for u in inspector.get_unique_constraints(table)
                ),
                "checks": sorted(
                    (c["name"], c["sqltext"])
                    for c in inspector.get_check_constraints(table)
                ),
                "rows": sorted(
                    [str(value) for value in row]
                    for row in connection.execute(text(f'SELECT * FROM "{table}"'))
                ),
            }
        print(json.dumps(snapshot, default=str))
engine.dispose()
"""

HEADER = '''"""{message}

Revision ID: {revision}
Revises: {down_revision}
"""

import sqlalchemy as sa
from alembic import op

revision = "{revision}"
down_revision = "{down_revision}"
branch_labels = None
depends_on = None


def upgrade() -> None:
'''


def revision_file(revision: str, down_revision: str, body: str) -> str:
    """A revision module whose upgrade() is `body`."""
    header = HEADER.format(
        message=revision, revision=revision, down_revision=down_revision
    )
    return header + textwrap.indent(textwrap.dedent(body).strip(), "    ") + "\n"


@dataclass(frozen=True)
class Failure:
    """Revisions (body of upgrade() each, chained after 0001) whose last step
    fails on ROWS, and the statements that fix the rows."""

    revisions: list[str]
    fix: list[str]


# Each batch first adds a column, so that on PostgreSQL a statement has run
# before the one that fails.
FAILURES = {
    "batch copy: NOT NULL over NULL rows": Failure(
        [
            """
            with op.batch_alter_table("posts") as batch_op:
                batch_op.add_column(sa.Column("subtitle", sa.String(40)))
                batch_op.alter_column("body", existing_type=sa.Text(), nullable=False)
            """
        ],
        ["UPDATE posts SET body = 'filled' WHERE body IS NULL"],
    ),
    "batch copy: unique over duplicates": Failure(
        [
            """
            with op.batch_alter_table("posts") as batch_op:
                batch_op.add_column(sa.Column("subtitle", sa.String(40)))
                batch_op.create_unique_constraint("uq_posts_title", ["title"])
            """
        ],
        ["UPDATE posts SET title = 'Once' WHERE id = 1"],
    ),
    "batch copy: CHECK over violating rows": Failure(
        [
            """
            with op.batch_alter_table("posts") as batch_op:
                batch_op.add_column(sa.Column("subtitle", sa.String(40)))
                batch_op.create_check_constraint("ck_posts_score_min", "score >= 0")
            """
        ],
        ["UPDATE posts SET score = 0 WHERE score < 0"],
    ),
    # SQLite creates indexes once the copy has replaced the table.
    "after the batch swap: unique index over duplicates": Failure(
        [
            """
            with op.batch_alter_table("posts") as batch_op:
                batch_op.add_column(sa.Column("subtitle", sa.String(40)))
                batch_op.alter_column(
                    "title", existing_type=sa.String(80), type_=sa.String(120)
                )
                batch_op.create_index("ix_posts_title", ["title"], unique=True)
            """
        ],
        ["UPDATE posts SET title = 'Once' WHERE id = 1"],
    ),
    "a revision's last step, after a table, a copy and an update": Failure(
        [
            """
            op.create_table(
                "notes",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("text", sa.String(40), nullable=False),
            )
            op.execute("INSERT INTO notes (id, text) VALUES (1, 'kept?')")
            with op.batch_alter_table("posts") as batch_op:
                batch_op.add_column(sa.Column("views", sa.Integer()))
            op.execute("UPDATE posts SET views = 1, score = 10")
            op.execute("UPDATE authors SET name = 'Renamed'")
            with op.batch_alter_table("posts") as batch_op:
                batch_op.alter_column("body", existing_type=sa.Text(), nullable=False)
            """
        ],
        ["UPDATE posts SET body = 'filled' WHERE body IS NULL"],
    ),
    "an upgrade's last revision, after one that succeeds": Failure(
        [
            """
            op.create_table(
                "notes",
                sa.Column("id", sa.Integer(), primary_key=True),
                sa.Column("text", sa.String(40), nullable=False),
            )
            with op.batch_alter_table("authors") as batch_op:
                batch_op.add_column(sa.Column("bio", sa.Text()))
            """,
            """
            with op.batch_alter_table("posts") as batch_op:
                batch_op.create_check_constraint("ck_posts_score_min", "score >= 0")
            """,
        ],
        ["UPDATE posts SET score = 0 WHERE score < 0"],
    ),
}

DATABASES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
]

# The flavour only changes the app's sessions: migrations are synchronous.
SESSION_APIS = {"sqlite": "async", "postgresql": "sync", "mariadb": "sync"}

# MariaDB commits each schema change at once: no transaction holds a revision
# (docs/databases.md, "A failed upgrade on MariaDB"), so its tests are its own.
MARIADB = [pytest.param("mariadb", marks=pytest.mark.mariadb)]

_database_numbers = itertools.count()


@dataclass
class Migrated:
    """A project and a database of its own, at 0001 and holding ROWS."""

    project: Project
    url: str

    def sql(self, *statements: str) -> None:
        self.project.run(
            "python", "-c", DATABASE_SCRIPT, self.url, "sql", json.dumps(statements)
        )

    def snapshot(self) -> dict[str, Any]:
        result = self.project.run(
            "python", "-c", DATABASE_SCRIPT, self.url, "snapshot", "[]"
        )
        snapshot: dict[str, Any] = json.loads(result.stdout)
        return snapshot

    def alembic(self, *argv: str) -> Outcome:
        outcomes = alembic_session(self.project, self.url, [("run", list(argv), True)])
        return outcomes["run"]

    @property
    def versions(self) -> Path:
        return self.project.root / "migrations" / "versions"


@pytest.fixture(scope="module", params=DATABASES)
def project(
    request: pytest.FixtureRequest,
    template: Path,
    project_bin: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Project:
    database: str = request.param
    name = f"failing_{database}"
    root = copy_project(
        template,
        tmp_path_factory.mktemp(name) / name,
        {
            "project_name": name.replace("_", " ").title(),
            "database": database,
            "session_api": SESSION_APIS[database],
            "models": MODELS,
        },
    )
    return Project(root=root, bin=project_bin, package=name, database=database)


@pytest.fixture
def migrated(
    request: pytest.FixtureRequest, project: Project, tmp_path: Path
) -> Iterator[Migrated]:
    """A new database at 0001 with ROWS; revisions the test writes are removed
    after it (the project is shared)."""
    if project.database == "sqlite":
        url = f"sqlite:///{tmp_path / 'app.sqlite3'}"
    else:
        fixture = "postgres" if project.database == "postgresql" else "mariadb"
        server: PostgresServer | MariaDBServer = request.getfixturevalue(fixture)
        url = server.create_database(f"failing_{next(_database_numbers)}")
    migrated = Migrated(project, url)
    before = set(migrated.versions.glob("*.py"))
    try:
        outcome = migrated.alembic("upgrade", "head")
        assert outcome.returncode == 0, outcome.output
        migrated.sql(*ROWS)
        yield migrated
    finally:
        for written in set(migrated.versions.glob("*.py")) - before:
            written.unlink()


def error_of(outcome: Outcome) -> str:
    """The line of a failed command's output that says what went wrong."""
    assert outcome.returncode != 0, f"`{outcome.command}` succeeded:\n{outcome.output}"
    errors = [
        line
        for line in outcome.output.splitlines()
        if line.startswith(("sqlalchemy.exc.", "FAILED"))
    ]
    assert errors, outcome.output
    return errors[-1]


@pytest.mark.parametrize("case", list(FAILURES))
def test_a_failed_upgrade_leaves_no_trace_and_runs_again_once_the_rows_are_fixed(
    migrated: Migrated, case: str
) -> None:
    failure = FAILURES[case]
    down_revision = "0001"
    for number, body in enumerate(failure.revisions, start=1):
        revision = f"f{number:03}"
        path = migrated.versions / f"{revision}_forced.py"
        path.write_text(revision_file(revision, down_revision, body))
        down_revision = revision
    before = migrated.snapshot()

    error = error_of(migrated.alembic("upgrade", "head"))

    assert migrated.snapshot() == before
    assert error_of(migrated.alembic("upgrade", "head")) == error
    assert migrated.snapshot() == before
    migrated.sql(*failure.fix)
    again = migrated.alembic("upgrade", "head")
    assert again.returncode == 0, again.output
    assert (
        migrated.alembic("current").output.strip().endswith(f"{down_revision} (head)")
    )


def test_a_batch_over_a_referenced_table_keeps_the_referencing_rows(
    migrated: Migrated,
) -> None:
    """SQLite copies `authors` and drops the original: with foreign keys on, the
    drop would delete every post through ON DELETE CASCADE."""
    body = """
        with op.batch_alter_table("authors") as batch_op:
            batch_op.alter_column(
                "name", existing_type=sa.String(80), type_=sa.String(120)
            )
    """
    (migrated.versions / "f001_wider_names.py").write_text(
        revision_file("f001", "0001", body)
    )
    rows_before = {
        table: content["rows"] for table, content in migrated.snapshot().items()
    }

    outcome = migrated.alembic("upgrade", "head")

    assert outcome.returncode == 0, outcome.output
    rows_after = {
        table: content["rows"] for table, content in migrated.snapshot().items()
    }
    assert rows_after.pop("alembic_version") == [["f001"]]
    rows_before.pop("alembic_version")
    assert rows_after == rows_before


@pytest.mark.parametrize(
    "project", [pytest.param("postgresql", marks=pytest.mark.postgresql)], indirect=True
)
@pytest.mark.parametrize(
    ("column", "declared", "narrowed"),
    [
        pytest.param("title", "String(80)", "String(40)", id="str{80} -> str{40}"),
        pytest.param("body", "Text()", "String(500)", id="text -> str{500}"),
    ],
)
def test_a_narrowed_string_column_is_refused_over_longer_values_never_cut(
    migrated: Migrated, column: str, declared: str, narrowed: str
) -> None:
    module = migrated.project.root / "src" / migrated.project.package / "models"
    post = module / "post.py"
    source = post.read_text()
    line = f"{column}: Mapped[str"
    assert line in source
    post.write_text(
        "\n".join(
            text.replace(declared, narrowed) if line in text else text
            for text in source.splitlines()
        )
        + "\n"
    )
    try:
        # Over the long values the revision rules refuse to write the revision
        # at all (tests/test_existing_rows.py); here they arrive after it was
        # written, as rows do between writing a revision and deploying it.
        migrated.sql("UPDATE posts SET title = 'short', body = 'short' WHERE id = 3")
        revision = migrated.alembic("revision", "--autogenerate", "-m", "narrow")
        assert revision.returncode == 0, revision.output
        migrated.sql(*ROWS_MADE_LONG)
        before = migrated.snapshot()

        error = error_of(migrated.alembic("upgrade", "head"))

        assert "value too long for type character varying" in error
        assert migrated.snapshot() == before
    finally:
        post.write_text(source)
    (written,) = set(migrated.versions.glob("*narrow.py"))
    assert "postgresql_using" not in written.read_text()


def write_revisions(migrated: Migrated, failure: Failure) -> str:
    """Write `failure`'s revisions after 0001; returns the last one's id."""
    down_revision = "0001"
    for number, body in enumerate(failure.revisions, start=1):
        revision = f"f{number:03}"
        path = migrated.versions / f"{revision}_forced.py"
        path.write_text(revision_file(revision, down_revision, body))
        down_revision = revision
    return down_revision


def current(migrated: Migrated) -> str:
    return migrated.alembic("current").output.strip().splitlines()[-1]


@pytest.mark.parametrize("project", MARIADB, indirect=True)
def test_on_mariadb_an_upgrade_keeps_the_revisions_that_ran_and_resumes(
    migrated: Migrated,
) -> None:
    failure = FAILURES["an upgrade's last revision, after one that succeeds"]
    head = write_revisions(migrated, failure)

    error = error_of(migrated.alembic("upgrade", "head"))

    assert current(migrated) == "f001"
    assert error_of(migrated.alembic("upgrade", "head")) == error
    migrated.sql(*failure.fix)
    again = migrated.alembic("upgrade", "head")
    assert again.returncode == 0, again.output
    assert current(migrated) == f"{head} (head)"


@pytest.mark.parametrize("project", MARIADB, indirect=True)
def test_on_mariadb_a_failed_revision_names_the_changes_it_committed(
    migrated: Migrated, mariadb: MariaDBServer
) -> None:
    failure = FAILURES["a revision's last step, after a table, a copy and an update"]
    write_revisions(migrated, failure)
    database = migrated.url.rsplit("/", 1)[1]

    outcome = migrated.alembic("upgrade", "head")

    assert outcome.returncode != 0
    report = outcome.output.split("MariaDB had already committed these changes")[1]
    committed = [line.strip() for line in report.splitlines()[1:] if line.strip()]
    assert [line.split("(")[0].strip() for line in committed[:2]] == [
        "CREATE TABLE notes",
        "INSERT INTO notes",
    ]
    assert committed[2:] == [
        "ALTER TABLE posts ADD COLUMN views INTEGER;",
        "UPDATE posts SET views = 1, score = 10;",
        "UPDATE authors SET name = 'Renamed';",
    ]
    # What the report says is what the database holds; alembic_version is behind.
    assert current(migrated) == "0001"
    assert mariadb.sql("SELECT DISTINCT name FROM authors", database) == "Renamed\n"
    assert mariadb.sql("SELECT text FROM notes", database) == "kept?\n"
