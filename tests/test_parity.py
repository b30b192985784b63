"""What the database refuses is the same on every database, with the same
exception class (docs/databases.md): out-of-range values, too-long text,
duplicates under a unique (and nothing more: case, accent and trailing-space
variants are distinct values), orphan references and values outside an enum.

One project per database, the same inserts through the project's own DbSession
(its engine settings are part of what is proven), PostgreSQL's outcome the
reference. Where SQLite does not agree yet, its case is marked xfail (strict:
it fails loudly once SQLite refuses too).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.mariadb_server import MariaDBServer
from tests.postgres_server import PostgresServer
from tests.tooling import Project, alembic, copy_project

MODELS = {
    "Owner": "email:str{20}:unique age:int:min=0:max=150 mood:enum{calm,angry}=calm",
    "Pet": "name:str{20} owner:Owner",
}

ANN = "INSERT INTO owners (email, age) VALUES ('Ann@example', 30)"
PERSON = "INSERT INTO owners (email, age) VALUES (:email, 30)"

# name -> (statements, each with its parameters; the outcome is the last one's)
CASES: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "over max=": [("INSERT INTO owners (email, age) VALUES ('a', 151)", {})],
    "under min=": [("INSERT INTO owners (email, age) VALUES ('a', -1)", {})],
    "over the int range": [
        ("INSERT INTO owners (email, age) VALUES ('a', 3000000000)", {})
    ],
    "too long for str{20}": [(PERSON, {"email": "x" * 21})],
    "duplicate": [(ANN, {}), (PERSON, {"email": "Ann@example"})],
    "duplicate but for case": [(ANN, {}), (PERSON, {"email": "ann@example"})],
    "duplicate but for an accent": [
        (PERSON, {"email": "cafe"}),
        (PERSON, {"email": "café"}),
    ],
    "duplicate but for a trailing space": [
        (ANN, {}),
        (PERSON, {"email": "Ann@example "}),
    ],
    "an emoji": [(PERSON, {"email": "🐈"})],
    "orphan reference": [("INSERT INTO pets (name, owner_id) VALUES ('Rex', 999)", {})],
    "value outside the enum": [
        ("INSERT INTO owners (email, age, mood) VALUES ('a', 1, 'sad')", {})
    ],
    "NULL in a required column": [
        ("INSERT INTO owners (email, age) VALUES (NULL, 1)", {})
    ],
    "a required column left out": [("INSERT INTO owners (age) VALUES (1)", {})],
}

# What PostgreSQL does: the reference.
EXPECTED = {
    "over max=": "IntegrityError",
    "under min=": "IntegrityError",
    "over the int range": "DataError",
    "too long for str{20}": "DataError",
    "duplicate": "IntegrityError",
    "duplicate but for case": "accepted",
    "duplicate but for an accent": "accepted",
    "duplicate but for a trailing space": "accepted",
    "an emoji": "accepted",
    "orphan reference": "IntegrityError",
    "value outside the enum": "DataError",
    "NULL in a required column": "IntegrityError",
    "a required column left out": "IntegrityError",
}

# Where SQLite does not refuse yet: it stores the value as given.
SQLITE_DIFFERS = {
    "over the int range": "SQLite's INTEGER holds 64 bits",
}

SCRIPT = """
import json, sys
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from {package}.db_session import DbSession

DbSession.global_init(sys.argv[1])
outcomes = {{}}
for name, statements in json.loads(sys.argv[2]).items():
    try:
        with DbSession.unit_of_work() as session:
            for statement, parameters in statements:
                session.execute(text(statement), parameters)
        outcomes[name] = "accepted"
    except SQLAlchemyError as error:
        outcomes[name] = type(error).__name__
    with DbSession.unit_of_work() as session:
        session.execute(text("DELETE FROM pets"))
        session.execute(text("DELETE FROM owners"))
print(json.dumps(outcomes))
"""


@pytest.fixture(scope="module")
def outcomes_on(
    template: Path,
    project_bin: Path,
    tmp_path_factory: pytest.TempPathFactory,
    request: pytest.FixtureRequest,
) -> Any:
    made: dict[str, dict[str, str]] = {}

    def outcomes(database: str) -> dict[str, str]:
        if database not in made:
            name = f"parity_{database}"
            root = copy_project(
                template,
                tmp_path_factory.mktemp(name) / name,
                {"project_name": name, "database": database, "models": MODELS},
            )
            project = Project(root, project_bin, name, database)
            if database == "sqlite":
                url = f"sqlite:///{root / 'parity.sqlite3'}"
            else:
                fixture = "postgres" if database == "postgresql" else "mariadb"
                server: PostgresServer | MariaDBServer = request.getfixturevalue(
                    fixture
                )
                url = server.create_database(name)
            alembic(project, url, "upgrade", "head")
            script = SCRIPT.format(package=name)
            result = project.run("python", "-c", script, url, json.dumps(CASES))
            made[database] = json.loads(result.stdout)
        return made[database]

    return outcomes


def case_params(database: str) -> list[Any]:
    marks = {
        "postgresql": [pytest.mark.postgresql],
        "mariadb": [pytest.mark.mariadb],
        "sqlite": [],
    }[database]
    return [
        pytest.param(
            database,
            case,
            id=f"{database}-{case}",
            marks=[
                *marks,
                *(
                    [pytest.mark.xfail(reason=SQLITE_DIFFERS[case], strict=True)]
                    if database == "sqlite" and case in SQLITE_DIFFERS
                    else []
                ),
            ],
        )
        for case in CASES
    ]


@pytest.mark.parametrize(
    ("database", "case"),
    case_params("postgresql") + case_params("mariadb") + case_params("sqlite"),
)
def test_every_database_refuses_the_same_values_the_same_way(
    outcomes_on: Any, database: str, case: str
) -> None:
    assert outcomes_on(database)[case] == EXPECTED[case]
