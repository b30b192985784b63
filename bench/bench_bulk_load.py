"""Issue 16's bulk goal: 100,000 rows through the generated `bulk_load()` inside
`DbSession.unit_of_work()` cost at most 1.5x raw `sqlite3` `executemany` on
SQLite, and at most 1.3x psycopg's COPY on PostgreSQL.

The project is generated from a clone of this template with BULK_MODELS: a
`User` (email unique, display_name, bio text?, joined_at datetime) for the
target rows, and an `Event` with one column of each type the loader converts
(enum, decimal, aware datetime, JSON, UUID) for diagnostics. The worker
(workers/bulk_load.py) runs in the project's environment and times every side
in one process, interleaved, on an empty table; the raw sides get the same rows
as tuples already converted to what the driver takes (untimed), and, on SQLite,
the generated engine's pragmas. Every second user has no bio. PostgreSQL is a
throwaway PostgreSQL 15 server (tests/postgres_server.py).

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
LIMITS = {"sqlite": 1.5, "postgresql": 1.3}
RAW = {"sqlite": "raw sqlite3 executemany", "postgresql": "raw psycopg COPY"}
SHAPES = {"users": "users", "every_type": "events of every converted type"}


def measure(repetitions: int, with_postgresql: bool = True) -> list[Row]:
    from tests.postgres_server import PostgresServer

    work = scratch_dir("bulk")
    databases = database_dir("bulk")
    server = None
    rows = []
    try:
        template = template_clone(work / "template")
        project = copy(
            template,
            work / "project" / "my-app",
            # A PostgreSQL project: its bulk_load() serves SQLite URLs too.
            {"project_name": "My App", "database": "postgresql", "models": BULK_MODELS},
        )
        python = project_python(template)
        if with_postgresql:
            server = PostgresServer()
            server.start()
        for shape in SHAPES:
            urls = {"sqlite": str(databases / f"bulk-{shape}.sqlite3")}
            if server is not None:
                urls["postgresql"] = server.create_database(f"bulk_{shape}")
            for backend, url in urls.items():
                result = run_worker(
                    python, project, "bulk_load.py",
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
        if server is not None:
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
