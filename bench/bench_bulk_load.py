"""Target 5: 100,000 rows through the documented bulk path of a unit of work
(`session.execute(insert(User), list_of_dicts)` inside `DbSession.unit_of_work()`)
cost at most 7x raw `sqlite3` `executemany` on SQLite, and at most 1.7x raw
psycopg `executemany` on PostgreSQL.

The project is generated from a clone of this template with the defaults (its
`User` model: email unique, display_name, bio text?, joined_at datetime). The
worker (workers/bulk_load.py) runs in the project's environment and times both
sides in one process, interleaved, on an empty users table; the raw side gets the
same values as ready-made tuples and, on SQLite, the generated engine's pragmas.
PostgreSQL is a throwaway PostgreSQL 15 server (tests/postgres_server.py).

The target rows give every row all four values. Diagnostics repeat them with
every second `bio` None (rows with differing sets of non-None keys), as is, and
with `insert(User).execution_options(render_nulls=True)`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from _common import (
    Row,
    copy,
    median,
    project_python,
    run_benchmark,
    run_worker,
    scratch_dir,
    template_clone,
)

ROWS = 100_000
LIMITS = {"sqlite": 7.0, "postgresql": 1.7}
PATTERNS = {
    "full": "",
    "mixed": ", every second bio None",
    "mixed_render_nulls": ", every second bio None, render_nulls=True",
}
DRIVERS = {"sqlite": "raw sqlite3 executemany", "postgresql": "raw psycopg executemany"}


def measure(repetitions: int, with_postgresql: bool = True) -> list[Row]:
    from tests.postgres_server import PostgresServer

    work = scratch_dir("bulk")
    databases = Path(
        tempfile.mkdtemp(prefix="bench-bulk-db-", dir=os.environ.get("BENCH_DB_DIR"))
    )
    server = None
    rows = []
    try:
        template = template_clone(work / "template")
        project = copy(template, work / "project" / "my-app")
        python = project_python(template)
        if with_postgresql:
            server = PostgresServer()
            server.start()
        for pattern in PATTERNS:
            urls = {"sqlite": str(databases / f"bulk-{pattern}.sqlite3")}
            if server is not None:
                urls["postgresql"] = server.create_database(f"bulk_{pattern}".lower())
            for backend, url in urls.items():
                result = run_worker(
                    python,
                    project,
                    "bulk_load.py",
                    "my_app",
                    url,
                    str(ROWS),
                    str(repetitions),
                    pattern,
                )
                orm, raw = (
                    median(result["samples"]["orm"]),
                    median(result["samples"]["raw"]),
                )
                target = pattern == "full"
                rows.append(Row(
                    "5" if target else "5 diag",
                    f"{ROWS:,} rows, {backend}{PATTERNS[pattern]}",
                    "unit_of_work + insert(User)", orm, DRIVERS[backend], raw, orm / raw, "x",
                    LIMITS[backend] if target else None, repetitions=repetitions,
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
        "Target 5: bulk load vs the raw driver",
        measure,
        repetitions=5,
    )
