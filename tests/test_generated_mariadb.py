"""What only MariaDB projects do: the switch to MariaDB through `copier update`,
the database's character set checked before migrating, and URLs in MariaDB's
other spellings. The checks shared with the other databases are in
test_generated_projects.py and test_parity.py."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import copier
import pytest

from tests.mariadb_server import MariaDBServer
from tests.model_sets import MODEL_SETS
from tests.tooling import GenerateProject, Project, git_save

pytestmark = pytest.mark.mariadb

_database_numbers = itertools.count()


def fresh_database(mariadb: MariaDBServer, prefix: str) -> str:
    return mariadb.create_database(f"{prefix}_{next(_database_numbers)}")


def test_a_sqlite_project_switched_to_mariadb_passes_its_tests_there(
    generate: GenerateProject,
    mariadb: MariaDBServer,
    project_bin: Path,
    tmp_path: Path,
) -> None:
    """As docs/databases.md says: `copier update --data database=mariadb`, and
    the revisions made for SQLite build the schema on MariaDB."""
    sqlite = generate("sqlite_blog_shop", {**MODEL_SETS["blog_shop"]})
    root = tmp_path / sqlite.root.name
    shutil.copytree(sqlite.root, root)
    git_save(root, "the SQLite project")
    revisions = {
        path.name: path.read_bytes()
        for path in (root / "migrations/versions").iterdir()
    }

    copier.run_update(
        str(root),
        data={"database": "mariadb"},
        defaults=True,
        overwrite=True,
        quiet=True,
        vcs_ref="HEAD",
        conflict="inline",
    )

    project = Project(root, project_bin, sqlite.package, "mariadb")
    after = {
        path.name: path.read_bytes()
        for path in (root / "migrations/versions").iterdir()
    }
    assert after == revisions
    url = fresh_database(mariadb, "switched")
    result = project.run(
        "pytest", "-q", "-p", "no:cacheprovider", env={"TEST_DATABASE_URL": url}
    )
    assert " passed" in result.stdout
    assert "skipped" not in result.stdout
    for command in (["upgrade", "head"], ["check"]):
        project.run("alembic", *command, env={"DATABASE_URL": url})


def test_migrations_refuse_a_database_with_another_collation(
    generate: GenerateProject, mariadb: MariaDBServer
) -> None:
    project = generate("maria_defaults", {"database": "mariadb"})
    url = fresh_database(mariadb, "latin")
    database = url.rsplit("/", 1)[1]
    mariadb.sql(f"ALTER DATABASE `{database}` CHARACTER SET latin1")

    result = project.run(
        "alembic", "upgrade", "head", env={"DATABASE_URL": url}, check=False
    )

    assert result.returncode != 0
    assert (
        f"ALTER DATABASE `{database}` CHARACTER SET utf8mb4 "
        "COLLATE utf8mb4_nopad_bin;" in result.stderr
    )
    assert mariadb.sql("SHOW TABLES", database) == ""


@pytest.mark.parametrize(
    "spelling",
    [
        "mysql://",
        pytest.param("mariadb://", marks=pytest.mark.deep),
        pytest.param("unix socket", marks=pytest.mark.deep),
    ],
)
def test_its_tests_pass_on_every_spelling_of_a_mariadb_url(
    generate: GenerateProject, mariadb: MariaDBServer, spelling: str
) -> None:
    project = generate("maria_defaults", {"database": "mariadb"})
    url = fresh_database(mariadb, "spelled")
    database = url.rsplit("/", 1)[1]
    test_url = {
        "mysql://": mariadb.url(database, scheme="mysql"),
        "mariadb://": mariadb.url(database, scheme="mariadb"),
        "unix socket": mariadb.socket_url(database),
    }[spelling]

    result = project.run(
        "pytest", "-q", "-p", "no:cacheprovider",
        "tests/test_migrations.py", "tests/test_db_session.py",
        env={"TEST_DATABASE_URL": test_url},
    )  # fmt: skip

    assert " passed" in result.stdout
