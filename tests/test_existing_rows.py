"""Schema changes over tables that hold rows, walked the way a user walks them:
a project with rows, `copier update --data models=...`, `alembic revision
--autogenerate`, `alembic upgrade head`, on SQLite and PostgreSQL.

One project per database makes every change the rows cannot take at once. The
first autogenerate must refuse: no revision written, the database as it was, the
message naming each table.column with its number of rows and the `-x` way out.
The second, given the decisions as `-x` arguments, writes the revision (with its
warnings at the top), which upgrades keeping every row the decisions keep.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import copier
import pytest

from tests.alembic_session import Outcome, alembic_session
from tests.mariadb_server import MariaDBServer
from tests.postgres_server import PostgresServer
from tests.tooling import Project, copy_project, git_save

BEFORE = {
    "Author": "name:str{80}",
    "Note": (
        "title:str{80} body:text? status:enum{draft,live} code:str{20} "
        "owner_id:bigint? mood:str? summary:str? rank:str{10}? grade:int"
    ),
    "Scrap": "label:str{20}",
}
AFTER = {
    "Author": "name:str{80}",
    "Note": (
        "title:str{40} body:text status:enum{draft} code:str{20}:unique "
        "owner:Author? mood:str=calm headline:str? slug:str{20} level:int=0 "
        "rank:int? grade:int:min=0"
    ),
}
LONG_TITLE = "x" * 60
ROWS = f"""
INSERT INTO authors (name) VALUES ('Ann');
INSERT INTO notes (title, body, status, code, owner_id, mood, summary, rank, grade)
VALUES
    ('short', NULL, 'draft', 'a', 1, NULL, 'one', '7', 5),
    ('{LONG_TITLE}', 'kept', 'live', 'b', 99, 'sad', NULL, 'abc', -1),
    ('short', NULL, 'draft', 'a', NULL, NULL, 'three', NULL, 3);
INSERT INTO scraps (label) VALUES ('p'), ('q');
"""

# What the refusal says of each change the rows cannot take as they are.
REFUSALS = {
    "too long": "notes.title: 1 rows hold values longer than 40 characters",
    "nulls": "notes.body: 2 rows hold NULL, and the column becomes required",
    "removed enum value": "notes.status: 1 rows hold a value that is not one of draft",
    "duplicates": "notes.code: 1 rows repeat the values of an earlier row",
    "orphans": "notes.owner_id: 1 rows refer to no row of authors",
    "required, no default": "notes.slug: 3 rows have no value for this new required",
    "does not convert": "notes.rank: 1 rows hold values that are no Integer",
    "refused by a CHECK": 'notes.grade: 1 rows hold values that "grade" >= 0 refuses',
}
WAYS_OUT = {
    "too long": "-x accept_loss=notes.title",
    "nulls": "-x fill=notes.body=VALUE",
    "removed enum value": "-x fill=notes.status=VALUE",
    "duplicates": "-x accept_loss=notes.code",
    "orphans": "-x fill=notes.owner_id=VALUE",
    "required, no default": "-x fill=notes.slug=VALUE",
    "does not convert": "-x accept_loss=notes.rank",
    "refused by a CHECK": "-x fill=notes.grade=VALUE",
}
DECISIONS = [
    "accept_loss=notes.title",
    "fill=notes.body=empty",
    "fill=notes.status=draft",
    "accept_loss=notes.code",
    "fill=notes.owner_id=1",
    "fill=notes.slug=none",
    "accept_loss=notes.rank",
    "fill=notes.grade=0",
]
# The notes after the upgrade: (title, body, status, code, owner_id, mood, slug,
# level, rank, grade). The third note repeated the first one's code: accepted as
# lost; the second one's rank was no number: accepted as lost too.
NOTES_AFTER = [
    ["short", "empty", "draft", "a", "1", "calm", "none", "0", "7", "5"],
    ["x" * 40, "kept", "draft", "b", "1", "sad", "none", "0", "None", "0"],
]

# Run in the project: every table's columns and rows, as JSON.
DUMP = """
import json, os
from sqlalchemy import MetaData, create_engine, select
engine = create_engine(os.environ["DATABASE_URL"])
metadata = MetaData()
with engine.connect() as connection:
    metadata.reflect(connection)
    print(json.dumps({
        table.name: {
            "columns": [[c.name, str(c.type), c.nullable] for c in table.columns],
            "rows": [
                [str(value) for value in row]
                for row in connection.execute(
                    select(table).order_by(*table.primary_key.columns)
                )
            ],
        }
        for table in metadata.sorted_tables
    }))
engine.dispose()
"""
INSERT = """
import os, sys
from sqlalchemy import create_engine
engine = create_engine(os.environ["DATABASE_URL"])
with engine.begin() as connection:
    for statement in sys.argv[1].split(";"):
        if statement.strip():
            connection.exec_driver_sql(statement)
engine.dispose()
"""
# Run in the project: the ORM loads every note (a value outside its enum would
# raise LookupError).
LOAD = """
import os
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session
from rows_{database}.models import __all_models
from rows_{database}.models.note import Note
engine = create_engine(os.environ["DATABASE_URL"])
with Session(engine) as session:
    print(len(session.scalars(select(Note)).all()))
engine.dispose()
"""


@dataclass
class Walk:
    project: Project
    url: str
    refused: Outcome
    before: dict[str, Any]
    after_refusal: dict[str, Any]
    written: list[Path]
    decided: dict[str, Outcome]
    after_upgrade: dict[str, Any]
    loaded: str


def run_python(project: Project, url: str, script: str, *args: str) -> str:
    result = project.run("python", "-c", script, *args, env={"DATABASE_URL": url})
    return result.stdout


def dump(project: Project, url: str) -> dict[str, Any]:
    return json.loads(run_python(project, url, DUMP))


@pytest.fixture(
    scope="module",
    params=[
        "sqlite",
        pytest.param("postgresql", marks=pytest.mark.postgresql),
        pytest.param("mariadb", marks=pytest.mark.mariadb),
    ],
)
def walk(
    request: pytest.FixtureRequest,
    template: Path,
    project_bin: Path,
    tmp_path_factory: pytest.TempPathFactory,
) -> Walk:
    database = request.param
    name = f"rows_{database}"
    root = copy_project(
        template,
        tmp_path_factory.mktemp(name) / name,
        {"project_name": name, "database": database, "models": BEFORE},
    )
    git_save(root, "generated")
    project = Project(root=root, bin=project_bin, package=name, database=database)
    if database == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('rows_database') / 'app.sqlite3'}"
    else:
        fixture = {"postgresql": "postgres", "mariadb": "mariadb"}[database]
        server: PostgresServer | MariaDBServer = request.getfixturevalue(fixture)
        url = server.create_database(f"{name}_app")
    start = alembic_session(project, url, [("upgrade", ["upgrade", "head"], True)])
    assert start["upgrade"].returncode == 0, start["upgrade"].output
    run_python(project, url, INSERT, ROWS)
    copier.run_update(
        str(root), data={"models": AFTER}, defaults=True, overwrite=True, quiet=True,
        vcs_ref="HEAD", conflict="inline",
    )  # fmt: skip
    git_save(root, "models changed")
    versions = root / "migrations" / "versions"
    existing = set(versions.glob("*.py"))
    before = dump(project, url)
    refused = alembic_session(
        project, url, [("refused", ["revision", "--autogenerate", "-m", "x"], False)]
    )["refused"]
    after_refusal = dump(project, url)
    written = sorted(set(versions.glob("*.py")) - existing)
    decisions = [argument for d in DECISIONS for argument in ("-x", d)]
    # The revision in an interpreter of its own, as in a user's shell (see
    # tests/test_evolution.py).
    revision = [*decisions, "revision", "--autogenerate", "-m", "x"]
    decided = alembic_session(project, url, [("revision", revision, True)])
    if decided["revision"].returncode == 0:
        decided |= alembic_session(
            project,
            url,
            [("upgrade", ["upgrade", "head"], True), ("check", ["check"], True)],
        )
    return Walk(
        project,
        url,
        refused,
        before,
        after_refusal,
        written,
        decided,
        dump(project, url),
        run_python(project, url, LOAD.format(database=database)).strip(),
    )


def test_autogenerate_refuses_and_writes_no_revision(walk: Walk) -> None:
    assert walk.refused.returncode != 0
    assert "no revision was written" in walk.refused.output
    assert walk.written == []


def test_a_refused_autogenerate_leaves_the_database_as_it_was(walk: Walk) -> None:
    assert walk.after_refusal == walk.before
    assert len(walk.before["notes"]["rows"]) == 3


@pytest.mark.parametrize("case", list(REFUSALS))
def test_the_refusal_names_table_column_rows_and_the_way_out(
    walk: Walk, case: str
) -> None:
    assert REFUSALS[case] in walk.refused.output
    assert WAYS_OUT[case] in walk.refused.output


def test_a_required_field_with_a_default_needs_no_decision(walk: Walk) -> None:
    assert "notes.mood:" not in walk.refused.output
    assert "notes.level:" not in walk.refused.output


def test_with_the_decisions_the_revision_is_written_and_upgrades(walk: Walk) -> None:
    for key in ("revision", "upgrade", "check"):
        outcome = walk.decided[key]
        assert outcome.returncode == 0, f"{outcome.command}:\n{outcome.output}"
    assert "No new upgrade operations detected" in walk.decided["check"].output


def test_the_upgrade_keeps_every_row_the_decisions_keep(walk: Walk) -> None:
    notes = walk.after_upgrade["notes"]
    names = [column[0] for column in notes["columns"]]
    kept = [
        "title", "body", "status", "code", "owner_id", "mood", "slug", "level",
        "rank", "grade",
    ]  # fmt: skip
    rows = [[row[names.index(name)] for name in kept] for row in notes["rows"]]

    assert rows == NOTES_AFTER
    assert walk.after_upgrade["authors"]["rows"] == walk.before["authors"]["rows"]
    assert walk.loaded == "2"


def test_drops_of_data_and_a_possible_rename_are_warned_of_in_the_revision(
    walk: Walk,
) -> None:
    output = walk.decided["revision"].output
    (revision,) = set((walk.project.root / "migrations" / "versions").glob("*_x.py"))
    text = revision.read_text()

    for warning in (
        "drops table scraps and its 2 rows",
        "drops notes.summary and its 2 values",
        "notes loses summary and gains headline",
    ):
        assert f"# WARNING: {warning}" in text
        assert warning in output
