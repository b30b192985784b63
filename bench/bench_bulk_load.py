"""Issue 16's bulk goal: 100,000 rows through the generated `bulk_load()` inside
`DbSession.unit_of_work()` cost at most 1.5x raw `sqlite3` `executemany` on
SQLite, at most 1.3x psycopg's COPY on PostgreSQL, and (issue 25) at most 1.5x
raw PyMySQL `executemany` on MariaDB.

The projects are generated from a clone of this template with BULK_MODELS: a
`User` (email unique, display_name, bio text?, joined_at datetime) for the
target rows, and an `Event` with one column of each type the loader converts
(enum, decimal, aware datetime, JSON, UUID) for diagnostics; a PostgreSQL
project serves SQLite and PostgreSQL, a MariaDB project MariaDB. The worker
(workers/bulk_load.py) runs in the projects' environment and times every side
in one process, interleaved, on an empty table; the raw sides get the same rows
as tuples already converted to what the driver takes (untimed), and the
generated engine's pragmas (SQLite) or session settings (MariaDB). Every second
user has no bio. PostgreSQL is a throwaway PostgreSQL 15 server
(tests/postgres_server.py), MariaDB a throwaway MariaDB 10.11 server
(tests/mariadb_server.py).

MariaDB's limit is SQLite's: on both, the raw side is the driver's
`executemany` of the same INSERT, the path `bulk_load()` itself ends in, so
the ratio is the cost of SQLAlchemy's work per row (and the savepoint) over the
driver's; PostgreSQL's COPY is a faster protocol than any INSERT.

Diagnostics: the every-type rows; the raw side converting the dicts into its
tuples while timed (the conversions every loader pays); the bulk path the README documented before
(`session.execute(insert(Model).execution_options(render_nulls=True), rows)`,
the old target 5: <= 7x SQLite, <= 1.7x psycopg executemany); psycopg's
`executemany` against its COPY.
"""

from __future__ import annotations

import shutil

from _common import (
    USER_MODEL,
    Row,
    copy,
    database_dir,
    median,
    project_python,
    run_benchmark,
    run_worker,
    scratch_dir,
    template_clone,
)

ROWS = 100_000
BULK_MODELS = {
    "User": USER_MODEL,
    "Event": "kind:enum{signup,login} amount:decimal{12,2} at:datetime payload:json ref:uuid",
}
LIMITS = {"sqlite": 1.5, "postgresql": 1.3, "mariadb": 1.5}
RAW = {
    "sqlite": "raw sqlite3 executemany",
    "postgresql": "raw psycopg COPY",
    "mariadb": "raw PyMySQL executemany",
}
SHAPES = {"users": "users", "every_type": "events of every converted type"}


def measure(
    repetitions: int, with_postgresql: bool = True, with_mariadb: bool = True
) -> list[Row]:
    from tests.mariadb_server import MariaDBServer
    from tests.postgres_server import PostgresServer

    work = scratch_dir("bulk")
    databases = database_dir("bulk")
    servers: dict[str, PostgresServer | MariaDBServer] = {}
    rows = []
    try:
        template = template_clone(work / "template")
        projects = {
            # A PostgreSQL project: its bulk_load() serves SQLite URLs too.
            database: copy(
                template,
                work / database / "my-app",
                {"project_name": "My App", "database": database, "models": BULK_MODELS},
            )
            for database in ("postgresql", "mariadb")
        }
        projects["sqlite"] = projects["postgresql"]
        python = project_python(template)
        if with_postgresql:
            servers["postgresql"] = PostgresServer()
        if with_mariadb:
            servers["mariadb"] = MariaDBServer()
        for server in servers.values():
            server.start()
        for shape in SHAPES:
            urls = {"sqlite": str(databases / f"bulk-{shape}.sqlite3")}
            for backend, server in servers.items():
                urls[backend] = server.create_database(f"bulk_{shape}")
            for backend, url in urls.items():
                result = run_worker(
                    python, projects[backend], "bulk_load.py",
                    "my_app", url, str(ROWS), str(repetitions), shape,
                )  # fmt: skip
                sides = {
                    name: median(times) for name, times in result["samples"].items()
                }
                raw = sides["raw"]
                target = shape == "users"
                measured = f"{ROWS:,} {SHAPES[shape]}, {backend}"
                rows.append(Row(
                    "16b" if target else "16b diag", measured,
                    "unit_of_work + bulk_load()", sides["bulk_load"], RAW[backend], raw,
                    sides["bulk_load"] / raw, "x",
                    LIMITS[backend] if target else None, repetitions=repetitions,
                ))  # fmt: skip
                # (label, subject, side): the other ways, against the same raw side
                others = [
                    ("5 diag", "unit_of_work + insert(Model), render_nulls", "insert"),
                    ("16b diag", f"{RAW[backend]}, converting the dicts while timed",
                     "raw_from_dicts"),
                    ("16b diag", "raw psycopg executemany", "executemany"),
                ]  # fmt: skip
                for label, subject, side in others:
                    if side in sides:
                        rows.append(Row(
                            label, measured, subject, sides[side], RAW[backend], raw,
                            sides[side] / raw, "x", None, repetitions=repetitions,
                        ))  # fmt: skip
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(databases, ignore_errors=True)
    return rows


if __name__ == "__main__":
    run_benchmark(
        __doc__.splitlines()[0],
        "Issue 16: bulk_load() vs the raw driver",
        measure,
        repetitions=5,
    )
